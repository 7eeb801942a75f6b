"""Small helpers for reading rendered pages in tests."""

from html.parser import HTMLParser


class Outline(HTMLParser):
    """Collects what a user (or a screen reader) meets on a page."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.h1_text: list[str] = []
        self._in_h1 = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "h1":
            self._in_h1 = True
            self.h1_text.append("")

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self._in_h1:
            self.h1_text[-1] += data

    def all(self, tag: str) -> list[dict]:
        return [attrs for name, attrs in self.tags if name == tag]

    def meta(self) -> dict[str, str]:
        return {a["name"]: a.get("content", "") for a in self.all("meta") if "name" in a}


def outline(response) -> Outline:
    parser = Outline()
    parser.feed(response.content.decode())
    return parser
