"""The captcha every public form uses: four digits shown as an image, with a Mandarin
audio alternative (WCAG 1.1.1), and a way to get a new challenge that works without JavaScript.

The audio is put together here, in Python, from the clips in ``portal/data/captcha/`` (made
once by ``portal/bin/make-captcha-clips``): the server needs no speech engine and no sox."""

import array
import functools
import io
import itertools
import operator
import os
import random
import secrets
import sys
import wave
from pathlib import Path

from captcha.conf import settings as captcha_settings
from captcha.fields import CaptchaField, CaptchaTextInput
from captcha.models import CaptchaStore
from django.core.exceptions import ImproperlyConfigured
from django.forms import HiddenInput
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from ranged_response import RangedFileResponse

CLIPS_DIR = Path(__file__).resolve().parent / "data" / "captcha"
AUDIO_RATE = 16_000  # the clips' sample rate, and the challenge's
# The background noise peaks at most this high (16-bit samples); the clips peak at about
# 23,000, so the digits stay some 25 dB above it and the sum never clips.
NOISE_PEAK = 1600


def digit_challenge() -> tuple[str, str]:
    """simple-captcha challenge function: (text shown, expected answer)."""
    digits = "".join(secrets.choice("0123456789") for _ in range(4))
    return digits, digits


# ---- the audio alternative ---------------------------------------------------------------------


@functools.cache
def _clips() -> dict[str, array.array]:
    """The ten digits and the phrases "intro" (验证码：) and "again" (再说一遍：) as 16-bit samples."""
    clips = {}
    for name in [*"0123456789", "intro", "again"]:
        with wave.open(str(CLIPS_DIR / f"{name}.wav"), "rb") as clip:
            if (clip.getnchannels(), clip.getsampwidth(), clip.getframerate()) != (1, 2, AUDIO_RATE):
                raise ImproperlyConfigured(f"{CLIPS_DIR / name}.wav must be 16-bit mono at {AUDIO_RATE} Hz")
            samples = array.array("h", clip.readframes(clip.getnframes()))
        if sys.byteorder == "big":
            samples.byteswap()  # WAV is little-endian
        clips[name] = samples
    return clips


def _say(track: array.array, clip: array.array, speed: float, gain: float) -> None:
    """Append ``clip`` played ``speed`` times as fast (its pitch moves with it) at ``gain``."""
    for i in range(int((len(clip) - 1) / speed)):
        position = i * speed
        j = int(position)
        before = clip[j]
        track.append(int((before + (clip[j + 1] - before) * (position - j)) * gain))


def _pause(track: array.array, seconds: float) -> None:
    track.frombytes(bytes(2 * int(seconds * AUDIO_RATE)))


def _noise(count: int) -> list[int]:
    """Fresh random noise, softened by a four-sample moving sum (a hiss without its sharpest part)."""
    step = NOISE_PEAK / 4 / 128  # four bytes of at most ±128 go into each sample
    level = [round((byte - 128) * step) for byte in range(256)]
    white = list(map(level.__getitem__, os.urandom(count + 3)))
    pairs = list(map(operator.add, white, itertools.islice(white, 1, None)))
    return list(map(operator.add, pairs, itertools.islice(pairs, 2, count + 2)))


def challenge_wav(digits: str, layout_seed: bytes) -> bytes:
    """A WAV file saying "验证码：" and the digits, then "再说一遍：" and the digits again.

    Each digit is a little faster or slower, higher or lower, louder or softer, and the pauses
    vary, as drawn from ``layout_seed``: the same challenge always has the same length (a
    browser fetching byte ranges gets consistent parts). The background noise is new on every
    call, so no two answers are the same bytes."""
    clips = _clips()
    layout = random.Random(layout_seed)
    track = array.array("h")
    _pause(track, layout.uniform(0.3, 0.6))
    for phrase, after in (("intro", (0.6, 0.9)), ("again", (0.3, 0.4))):
        _say(track, clips[phrase], 1.0, 1.0)
        _pause(track, layout.uniform(0.35, 0.55))
        for digit in digits:
            _say(track, clips[digit], layout.uniform(0.93, 1.07), layout.uniform(0.75, 1.0))
            _pause(track, layout.uniform(0.2, 0.45))
        _pause(track, layout.uniform(*after))
    mixed = array.array("h", map(operator.add, track, _noise(len(track))))
    if sys.byteorder == "big":
        mixed.byteswap()
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(AUDIO_RATE)
        wav.writeframes(mixed.tobytes())
    return out.getvalue()


def captcha_audio(request, key: str):
    """The challenge of ``key`` read aloud (404 once it has expired or been used). Listening
    does not use up the challenge."""
    store = CaptchaStore.objects.filter(hashkey=key, expiration__gt=timezone.now()).first()
    digits = "".join(char for char in store.challenge if char.isdigit()) if store else ""
    if not digits:
        raise Http404("no such captcha")
    seed = salted_hmac("portal.captcha.audio", key).digest()  # pauses not predictable from the key
    response = RangedFileResponse(request, io.BytesIO(challenge_wav(digits, seed)), content_type="audio/wav")
    response["Content-Disposition"] = f'attachment; filename="{key}.wav"'
    response["Cache-Control"] = "no-store"
    return response


# ---- the form field ----------------------------------------------------------------------------


class AccessibleCaptchaInput(CaptchaTextInput):
    """The hidden challenge key, the image, the text box and the audio link.

    To the bound field this is one control, the text box (``use_fieldset = False``): Django
    then describes it by its hint, and by its error only when one is shown, as any other field.
    Attributes meant for the text box stay off the hidden key, where HTML does not allow them."""

    template_name = "portal/widgets/captcha.html"
    use_fieldset = False

    def __init__(self, answer_attrs: dict | None = None, **kwargs):
        super().__init__(**kwargs)
        self.widgets[0] = HiddenInput()  # simple-captcha's own adds autocomplete="off"
        self.widgets[1].attrs.update(answer_attrs or {})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        key = context["widget"]["subwidgets"][0]
        # required, aria-describedby and aria-invalid come from the bound field, for the text box.
        key["attrs"] = {name: value for name, value in key["attrs"].items() if name == "id"}
        context["image_size"] = captcha_settings.CAPTCHA_IMAGE_SIZE  # as drawn: no scaling, no blur
        return context

    def audio_url(self):
        return reverse("portal_captcha_audio", kwargs={"key": self._key})


class PortalCaptchaField(CaptchaField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("验证码"))
        kwargs.setdefault("help_text", _("请输入图片中的 4 位数字；看不清可收听语音验证码，或换一个。"))
        kwargs.setdefault("error_messages", {"invalid": _("验证码不正确或已过期，请重新输入新的验证码。")})
        kwargs["widget"] = AccessibleCaptchaInput(
            answer_attrs={"autocomplete": "off", "inputmode": "numeric", "maxlength": "4"}
        )
        super().__init__(**kwargs)
