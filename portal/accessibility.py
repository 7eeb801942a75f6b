"""Reader preferences of the accessibility toolbar (无障碍工具条) and the elderly mode.

The choices live in one cookie, ``a11y``, as dot-separated tokens (``t2.hc.ls.rg.el``).
The server turns them into classes on ``<html>`` so the first paint is already right and
the elderly mode works without JavaScript; ``portal.js`` applies the same cookie in
``<head>`` for pages served from a cache.
"""

COOKIE = "a11y"
MAX_AGE = 365 * 24 * 3600
TEXT_STEPS = ("t1", "t2", "t3")  # 112.5%, 125%, 150% (t0 = default)
FLAGS = {"hc": "a11y-contrast", "ls": "a11y-spacing", "rg": "a11y-guide", "el": "a11y-elderly"}


def parse(value: str | None) -> list[str]:
    """Known tokens only, in a stable order; anything else in the cookie is ignored."""
    tokens = set((value or "").split("."))
    text = [step for step in TEXT_STEPS if step in tokens][-1:]
    return text + [flag for flag in FLAGS if flag in tokens]


def classes(tokens: list[str]) -> str:
    names = [f"a11y-text-{token[1]}" for token in tokens if token in TEXT_STEPS]
    names += [FLAGS[token] for token in tokens if token in FLAGS]
    return " ".join(names)


def serialise(tokens: list[str]) -> str:
    return ".".join(tokens)


def context(request) -> dict:
    """Context processor: ``a11y_classes`` for <html>, ``elderly_mode`` for the header link."""
    tokens = parse(request.COOKIES.get(COOKIE)) if request is not None else []
    return {"a11y_classes": classes(tokens), "elderly_mode": "el" in tokens}
