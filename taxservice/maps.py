"""Where a service hall is: a ``geo:`` link for the visitor's own map app, links that open the
hall in 高德地图 and 百度地图 on their own sites, and a map drawn from a tile server only when
one is configured.

The two map links are plain links (nothing is fetched from those sites by the page, so the
CSP needs no new source): 高德's marker URI (``uri.amap.com/marker``) and 百度's marker URI
(``api.map.baidu.com/marker``), both told that the coordinates are WGS-84 (GPS), as entered,
so each converts them to its own datum. 高德 takes longitude first, 百度 latitude first. Every
value is percent-encoded (UTF-8), so a name with "&", "#" or spaces cannot end a parameter.
``MAP_LINK_SOURCE`` names the portal to them (百度 asks for ``webapp.<organisation>.<app>``).

``MAP_TILE_URL`` (settings, from the environment) is a tile URL template such as
``https://tiles.example.gov.cn/{z}/{x}/{y}.png``. Empty (the default) means no map and
nothing loaded from anyone else's server. When it is set, the hall page shows four tiles
(plain ``<img>`` elements, no script) around the hall with a marker, and
``portal/security.py`` adds the tile server's origin to the CSP's ``img-src`` only.
"""

from __future__ import annotations

import math
from decimal import Decimal
from urllib.parse import quote

from django.conf import settings

TILE_SIZE = 256


def coordinates(latitude: Decimal, longitude: Decimal) -> str:
    return f"{float(latitude):.6f},{float(longitude):.6f}"


def geo_uri(latitude: Decimal, longitude: Decimal, label: str) -> str:
    """RFC 5870 ``geo:`` URI with a ``q=`` label, which Android and most map apps open as a pin."""
    point = coordinates(latitude, longitude)
    return f"geo:{point}?q={point}({quote(label)})"


def _query(pairs: list[tuple[str, str]]) -> str:
    """``name=value&…`` with every value percent-encoded, except the comma between two
    coordinates (both services read ``lng,lat`` / ``lat,lng`` as written)."""
    return "&".join(
        f"{name}={quote(str(value), safe=',' if name in ('position', 'location') else '')}" for name, value in pairs
    )


def amap_url(latitude: Decimal, longitude: Decimal, name: str) -> str:
    """高德地图's marker page for the point (longitude first)."""
    lng, lat = f"{float(longitude):.6f}", f"{float(latitude):.6f}"
    return "https://uri.amap.com/marker?" + _query(
        [("position", f"{lng},{lat}"), ("name", name), ("coordinate", "wgs84"), ("src", settings.MAP_LINK_SOURCE)]
    )


def baidu_url(latitude: Decimal, longitude: Decimal, name: str, address: str) -> str:
    """百度地图's marker page for the point (latitude first), with the address as its text."""
    return "https://api.map.baidu.com/marker?" + _query(
        [
            ("location", coordinates(latitude, longitude)),
            ("title", name),
            ("content", address),
            ("output", "html"),
            ("coord_type", "wgs84"),
            ("src", settings.MAP_LINK_SOURCE),
        ]
    )


def _tile_position(latitude: float, longitude: float, zoom: int) -> tuple[float, float]:
    """Web Mercator (slippy map) tile coordinates, fractional."""
    lat = math.radians(max(min(latitude, 85.0511), -85.0511))
    n = 2**zoom
    x = (longitude + 180.0) / 360.0 * n
    y = (1.0 - math.asinh(math.tan(lat)) / math.pi) / 2.0 * n
    return x, y


def _tile_url(template: str, zoom: int, x: int, y: int) -> str:
    """Fill ``{z}``, ``{x}`` and ``{y}``; anything else in the template is left as written."""
    return template.replace("{z}", str(zoom)).replace("{x}", str(x)).replace("{y}", str(y))


def tile_map(latitude: Decimal, longitude: Decimal) -> dict | None:
    """Four tiles around the point (rows of two URLs) and the marker's position in percent,
    or None when no tile server is configured."""
    template = getattr(settings, "MAP_TILE_URL", "")
    if not template:
        return None
    zoom = int(getattr(settings, "MAP_TILE_ZOOM", 16))
    x, y = _tile_position(float(latitude), float(longitude), zoom)
    # The 2×2 block whose centre is nearest the point, so the marker sits in its middle half.
    left, top = math.floor(x - 0.5), math.floor(y - 0.5)
    n = 2**zoom
    rows = [
        [_tile_url(template, zoom, (left + dx) % n, min(max(top + dy, 0), n - 1)) for dx in (0, 1)] for dy in (0, 1)
    ]
    return {
        "rows": rows,
        "marker_left": f"{(x - left) / 2 * 100:.2f}",
        "marker_top": f"{(y - top) / 2 * 100:.2f}",
        "attribution": getattr(settings, "MAP_TILE_ATTRIBUTION", ""),
    }
