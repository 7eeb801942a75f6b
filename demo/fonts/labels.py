"""Every text the demo draws on its generated images, read from the demo content modules.

Pure data, no Django: the font authoring script (``make-subset``, run in a virtualenv that
has only fontTools) and the tests read the same list, so the bundled subset holds every
character the demo draws. When a loader starts drawing a new kind of label, add it here (the
demo tests compare this list with the labels stored in the generated PNGs).
"""

from __future__ import annotations

from home.demo import content_cities, content_main, content_policies
from interviews.demo import content_interviews

from ..sites import GOV_MARK

# Latin letters, digits and punctuation: labels mix them in (12366热线, 个税App进社区).
ASCII = {chr(code) for code in range(0x20, 0x7F)}


def drawn_labels() -> list[str]:
    """The labels ``load_demo`` draws, in the loaders' own terms."""
    labels = [GOV_MARK["label"]]  # demo/loader.py: the 党政机关网站标识 (files.make_logo)
    for images in (content_main.IMAGES, content_cities.IMAGES, content_policies.IMAGES):
        # demo/loader.py DemoLoader.image: banners and body images
        labels += [spec.get("label") or spec["title"] for spec in images.values()]
    # interviews/demo/interviews.py: the guests' portraits and the interviews' covers
    labels += [guest["name"] for guest in content_interviews.GUESTS.values()]
    labels += [interview["image"]["label"] for interview in content_interviews.INTERVIEWS]
    return labels


def drawn_characters() -> set[str]:
    """Every character of :func:`drawn_labels`, and printable ASCII."""
    return {character for label in drawn_labels() for character in label} | ASCII
