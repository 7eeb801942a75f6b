"""Draw the portal's site icon: portal/static/portal/icons/favicon.svg and favicon.ico.

A fictional emblem in the site's colours: a white public building (pediment, three columns,
a base) with a red dot, on the brand blue. Both files are drawn from the one list of shapes
below; run ``.venv/bin/python scripts/make_favicon.py`` after changing it and commit both.
"""

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parents[1] / "portal" / "static" / "portal" / "icons"
BRAND, ACCENT, WHITE = "#0b4f9c", "#b3261e", "#ffffff"  # --c-brand and --c-accent in portal.css

SIZE = 32  # the shapes' grid; the .ico holds 16, 32 and 48 pixel images of it
BACKGROUND = {"rect": (0, 0, 32, 32), "radius": 6, "fill": BRAND}
SHAPES = [  # on whole pixels of the 32 grid, so the 32 px image stays sharp
    {"polygon": [(16, 4), (28, 12), (4, 12)], "fill": WHITE},  # pediment
    {"circle": (16, 9), "r": 1.5, "fill": ACCENT},
    {"rect": (7, 13, 11, 23), "fill": WHITE},  # columns
    {"rect": (14, 13, 18, 23), "fill": WHITE},
    {"rect": (21, 13, 25, 23), "fill": WHITE},
    {"rect": (4, 24, 28, 27), "fill": WHITE},  # base
]


def svg() -> str:
    x0, y0, x1, y1 = BACKGROUND["rect"]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}">',
        f'<rect width="{x1 - x0:g}" height="{y1 - y0:g}" rx="{BACKGROUND["radius"]:g}" fill="{BACKGROUND["fill"]}"/>',
    ]
    for shape in SHAPES:
        if "polygon" in shape:
            points = " ".join(f"{x:g},{y:g}" for x, y in shape["polygon"])
            parts.append(f'<polygon points="{points}" fill="{shape["fill"]}"/>')
        elif "circle" in shape:
            cx, cy = shape["circle"]
            parts.append(f'<circle cx="{cx:g}" cy="{cy:g}" r="{shape["r"]:g}" fill="{shape["fill"]}"/>')
        else:
            x0, y0, x1, y1 = shape["rect"]
            parts.append(
                f'<rect x="{x0:g}" y="{y0:g}" width="{x1 - x0:g}" height="{y1 - y0:g}" fill="{shape["fill"]}"/>'
            )
    return "\n".join(parts) + "\n</svg>\n"


def bitmap(scale: int = 8) -> Image.Image:
    """The icon drawn large (smooth edges once scaled down), with a transparent corner."""
    image = Image.new("RGBA", (SIZE * scale, SIZE * scale), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)

    def box(x0, y0, x1, y1):
        return (x0 * scale, y0 * scale, x1 * scale - 1, y1 * scale - 1)

    draw.rounded_rectangle(box(*BACKGROUND["rect"]), radius=BACKGROUND["radius"] * scale, fill=BACKGROUND["fill"])
    for shape in SHAPES:
        if "polygon" in shape:
            draw.polygon([(x * scale, y * scale) for x, y in shape["polygon"]], fill=shape["fill"])
        elif "circle" in shape:
            cx, cy = shape["circle"]
            r = shape["r"]
            draw.ellipse(box(cx - r, cy - r, cx + r, cy + r), fill=shape["fill"])
        else:
            draw.rectangle(box(*shape["rect"]), fill=shape["fill"])
    return image


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "favicon.svg").write_text(svg(), encoding="utf-8")
    large = bitmap()
    large.save(OUT / "favicon.ico", format="ICO", sizes=[(16, 16), (32, 32), (48, 48)])
    print(f"wrote {OUT / 'favicon.svg'} and {OUT / 'favicon.ico'}")


if __name__ == "__main__":
    main()
