"""The captcha of the public forms: its Mandarin audio alternative (served on any machine,
from the clips in portal/data/captcha/), valid markup, and an image drawn at the size shown."""

import array
import io
import re
import shutil
import wave
from datetime import timedelta

import pytest
from captcha.models import CaptchaStore
from django.core.cache import cache
from django.utils import timezone
from PIL import Image

from portal.captcha import CLIPS_DIR
from tests.helpers import outline

pytestmark = pytest.mark.django_db

MAILBOX = "/hdjl/jzxx/"  # a public form of the demo's main site


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def no_speech_engine(monkeypatch, tmp_path):
    """A server without espeak-ng, flite or sox: nothing on the PATH at all."""
    monkeypatch.setenv("PATH", str(tmp_path))
    assert not any(shutil.which(program) for program in ("espeak-ng", "flite", "sox"))


def captcha_of(response) -> dict[str, str]:
    """The challenge key and the audio link of the captcha on a form page."""
    page = outline(response)
    key = next(tag["value"] for tag in page.all("input") if tag.get("name") == "captcha_0")
    audio = [tag["href"] for tag in page.all("a") if "captcha__audio" in tag.get("class", "")]
    return {"key": key, "audio": audio[0] if audio else None}


def fetch(client, url, **headers):
    response = client.get(url, **headers)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def samples_of(body: bytes):
    """The parameters and the 16-bit samples of a WAV file."""
    with wave.open(io.BytesIO(body), "rb") as wav:
        params = wav.getparams()
        assert params.sampwidth == 2
        return params, array.array("h", wav.readframes(params.nframes))


def loudness(samples: array.array, rate: int, window: float = 0.05) -> list[float]:
    """Root-mean-square level of each ``window`` seconds."""
    size = int(rate * window)
    return [
        (sum(s * s for s in samples[start : start + size]) / size) ** 0.5
        for start in range(0, len(samples) - size, size)
    ]


# ---- audio ---------------------------------------------------------------------------------------


def test_the_audio_alternative_is_offered_and_speaks_without_a_speech_engine(client, no_speech_engine):
    captcha = captcha_of(client.get(MAILBOX))
    assert captcha["audio"] == f"/captcha/audio/{captcha['key']}.wav"

    response, body = fetch(client, captcha["audio"])
    assert response.status_code == 200 and response["Content-Type"] == "audio/wav"
    params, samples = samples_of(body)
    assert params.nchannels == 1 and params.framerate >= 8000
    seconds = params.nframes / params.framerate
    # "验证码：" and four digits, "再说一遍：" and the four digits again, with pauses between.
    assert 5 < seconds < 20, seconds
    # The digits stand well clear of the background noise (20 dB and more), and it never
    # goes fully silent between them.
    levels = sorted(loudness(samples, params.framerate))
    assert levels[-1] > 10 * levels[0] > 0
    # Listening does not use up the challenge.
    assert CaptchaStore.objects.filter(hashkey=captcha["key"]).exists()


def test_the_audio_changes_its_noise_not_its_length(client):
    url = captcha_of(client.get(MAILBOX))["audio"]
    first, second = fetch(client, url)[1], fetch(client, url)[1]
    assert first != second and len(first) == len(second)
    # A browser fetching a part gets that part of the same-sized file (Safari plays audio so).
    response, part = fetch(client, url, HTTP_RANGE="bytes=0-99")
    assert response.status_code == 206 and part[:4] == b"RIFF" and len(part) == 100
    assert response["Content-Range"] == f"bytes 0-99/{len(first)}"


def test_the_audio_of_an_unknown_expired_or_used_challenge_is_not_found(client):
    assert client.get("/captcha/audio/nosuchkey.wav").status_code == 404

    expired = captcha_of(client.get(MAILBOX))["key"]
    CaptchaStore.objects.filter(hashkey=expired).update(expiration=timezone.now() - timedelta(seconds=1))
    assert client.get(f"/captcha/audio/{expired}.wav").status_code == 404

    page = client.get(MAILBOX).content.decode()
    used = re.search(r'name="captcha_0" value="([^"]+)"', page).group(1)
    client.post(MAILBOX, {"captcha_0": used, "captcha_1": "wrong"})  # a failed attempt uses it up
    assert client.get(f"/captcha/audio/{used}.wav").status_code == 404


def test_the_committed_clips_are_small_mono_speech():
    clips = sorted(CLIPS_DIR.glob("*.wav"))
    assert {clip.stem for clip in clips} == {*"0123456789", "intro", "again"}
    assert sum(clip.stat().st_size for clip in clips) < 500_000
    for clip in clips:
        with wave.open(str(clip), "rb") as wav:
            params = wav.getparams()
        assert params.nchannels == 1 and params.framerate <= 16_000 and params.sampwidth in (1, 2)
        assert 0.2 < params.nframes / params.framerate < 2, clip.name


# ---- markup --------------------------------------------------------------------------------------
FOR_THE_TEXT_BOX = {"maxlength": "4", "required": None, "autocomplete": "off", "inputmode": "numeric"}


@pytest.mark.parametrize("sent", [False, True], ids=["blank form", "after a failed submit"])
def test_the_captcha_markup_is_valid_and_describes_the_text_box(client, sent):
    response = client.post(MAILBOX, {"subject": "x"}) if sent else client.get(MAILBOX)
    page = outline(response)
    inputs = {tag.get("name"): tag for tag in page.all("input")}
    key, answer = inputs["captcha_0"], inputs["captcha_1"]

    # HTML allows none of these on type=hidden (W3C Nu checker errors).
    assert key["type"] == "hidden"
    assert not {"maxlength", "required", "autocomplete", "inputmode"} & set(key)
    assert not [name for name in key if name.startswith("aria-")]

    assert answer["type"] == "text"
    assert {name: answer.get(name) for name in FOR_THE_TEXT_BOX} == FOR_THE_TEXT_BOX
    described_by = answer["aria-describedby"].split()
    assert described_by[0] == "id_captcha_helptext"
    assert ("id_captcha_error" in described_by) == sent  # the error is read out once there is one

    ids = {tag["id"] for _, tag in page.tags if "id" in tag}
    named = {name for _, tag in page.tags for name in tag.get("aria-describedby", "").split()}
    assert named and named <= ids, named - ids


# ---- image ---------------------------------------------------------------------------------------
def test_the_image_is_drawn_at_the_size_it_is_shown(client):
    image = next(tag for tag in outline(client.get(MAILBOX)).all("img") if "captcha__image" in tag.get("class", ""))
    response, body = fetch(client, image["src"])
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    with Image.open(io.BytesIO(body)) as png:
        assert png.size == (int(image["width"]), int(image["height"]))  # not stretched, so not blurred
