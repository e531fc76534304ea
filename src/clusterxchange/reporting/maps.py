"""A map of Europe as an SVG string, drawn on the server from vendored country shapes.

The shapes are Natural Earth's 1:50m countries (public domain) as TopoJSON from the npm package
`world-atlas` 2.0.2, vendored in `core/static/vendor/world-atlas/`. No tile server, no JavaScript:
the same SVG is shown in pages, in PDF reports (WeasyPrint draws SVG) and on the public site.

Projection: Lambert azimuthal equal-area centred on 52°N 10°E (the projection of the EU's
ETRS89-LAEA grid, on a sphere). The country paths are decoded, projected and thinned once per
process (`_countries()` is cached); a map then only colours them.

    europe_map_svg({"DE": 12, "FR": 7}, flows=[("FR", "DE", 5)], links={"DE": "/reporting/...?country=DE"})

Everything in the SVG is drawn with presentation attributes (`fill`, `stroke`), never `style=`,
so it passes a strict Content-Security-Policy. Elements carry `data-country` / `data-flow`
attributes and `<title>` texts (tooltips, screen readers, tests).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path

import pycountry
from django.utils.safestring import SafeString, mark_safe
from django_countries import countries

TOPOJSON = (
    Path(__file__).resolve().parent.parent
    / "core"
    / "static"
    / "vendor"
    / "world-atlas"
    / "countries-50m.json"
)

# The window drawn: longitudes and latitudes of the part of the world shown.
LON_MIN, LON_MAX, LAT_MIN, LAT_MAX = -25.0, 45.0, 34.0, 71.5
LAT0, LON0 = math.radians(52.0), math.radians(10.0)
WIDTH = 800  # SVG user units; the height follows from the window's aspect
THIN_PX = 1.2  # drop points closer than this to the previous kept point
MIN_ISLAND_AREA = 6.0  # square map units; smaller islands are left out (a country keeps its first part)

# Shapes without an ISO numeric code in Natural Earth, and what they are drawn as.
UNCODED = {"Kosovo": "XK", "N. Cyprus": "CY"}

PALETTE = ["#dbe9f6", "#b5d2ea", "#84b4dc", "#5093c8", "#2c6fae", "#16487f"]  # light → dark blue
NO_VALUE_FILL = "#f1f3f5"
OUTSIDE_FILL = "#e2e5e8"
BORDER = "#ffffff"
FLOW_COLOUR = "#c2410c"


def country_name(shape: CountryShape) -> str:
    """The country's name in the page's language (django-countries), else the shapes' own name."""

    return str(countries.name(shape.code)) or shape.name


@dataclass(frozen=True)
class CountryShape:
    code: str  # ISO 3166-1 alpha-2
    name: str
    path: str  # SVG path data in map units
    centre: tuple[float, float]  # label / flow anchor (centroid of the largest polygon in the window)


def _project(lon: float, lat: float) -> tuple[float, float]:
    """Spherical Lambert azimuthal equal-area, unit sphere (x east, y north)."""
    lam, phi = math.radians(lon), math.radians(lat)
    cos_c = math.sin(LAT0) * math.sin(phi) + math.cos(LAT0) * math.cos(phi) * math.cos(lam - LON0)
    k = math.sqrt(2 / (1 + cos_c)) if cos_c > -1 else 0.0
    x = k * math.cos(phi) * math.sin(lam - LON0)
    y = k * (math.cos(LAT0) * math.sin(phi) - math.sin(LAT0) * math.cos(phi) * math.cos(lam - LON0))
    return x, y


# Points that must be inside the window: Iceland's north-west, Portugal's south-west, Malta, Cyprus,
# the Don (east of Ukraine), the North Cape.
WINDOW_POINTS = [(-24.5, 66.8), (-10.0, 35.5), (14.5, 35.3), (35.0, 34.2), (41.0, 48.0), (28.0, 71.3)]
MARGIN = 10  # map units drawn around the window's points


@cache
def _frame() -> tuple[float, float, float, float]:
    """(x0, y_top, scale, height): map units from projected units, fitted to the window's points."""
    xs, ys = zip(*(_project(lon, lat) for lon, lat in WINDOW_POINTS), strict=True)
    scale = (WIDTH - 2 * MARGIN) / (max(xs) - min(xs))
    x0 = min(xs) - MARGIN / scale
    y_top = max(ys) + MARGIN / scale
    return x0, y_top, scale, (max(ys) - min(ys)) * scale + 2 * MARGIN


def _to_map(lon: float, lat: float) -> tuple[float, float]:
    x0, y_top, scale, _height = _frame()
    x, y = _project(lon, lat)
    return (x - x0) * scale, (y_top - y) * scale


def _decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(indices: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def _in_window(ring: list[tuple[float, float]]) -> bool:
    lons = [lon for lon, _ in ring]
    lats = [lat for _, lat in ring]
    return (
        min(lons) < LON_MAX + 15
        and max(lons) > LON_MIN - 5
        and min(lats) < LAT_MAX + 5
        and max(lats) > LAT_MIN - 5
    )


def _clip(points: list[tuple[float, float]], width: float, height: float) -> list[tuple[float, float]]:
    """Sutherland–Hodgman: the part of a polygon inside the rectangle (with a margin), in map units."""
    pad = 20.0
    edges = [
        (lambda p: p[0] >= -pad, lambda a, b: _cut_x(a, b, -pad)),
        (lambda p: p[0] <= width + pad, lambda a, b: _cut_x(a, b, width + pad)),
        (lambda p: p[1] >= -pad, lambda a, b: _cut_y(a, b, -pad)),
        (lambda p: p[1] <= height + pad, lambda a, b: _cut_y(a, b, height + pad)),
    ]
    for inside, cut in edges:
        if not points:
            break
        result = []
        previous = points[-1]
        for point in points:
            if inside(point):
                if not inside(previous):
                    result.append(cut(previous, point))
                result.append(point)
            elif inside(previous):
                result.append(cut(previous, point))
            previous = point
        points = result
    return points


def _cut_x(a, b, x):
    t = (x - a[0]) / (b[0] - a[0])
    return x, a[1] + t * (b[1] - a[1])


def _cut_y(a, b, y):
    t = (y - a[1]) / (b[1] - a[1])
    return a[0] + t * (b[0] - a[0]), y


def _thin(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    kept = [points[0]]
    for x, y in points[1:-1]:
        px, py = kept[-1]
        if abs(x - px) + abs(y - py) >= THIN_PX:
            kept.append((x, y))
    kept.append(points[-1])
    return kept


def _area_centroid(points: list[tuple[float, float]]) -> tuple[float, float, float]:
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True):
        cross = x1 * y2 - x2 * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if abs(area) < 1e-9:
        xs, ys = zip(*points, strict=True)
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return abs(area) / 2, cx / (3 * area), cy / (3 * area)


def _alpha2(geometry: dict) -> str | None:
    name = geometry.get("properties", {}).get("name", "")
    if "id" not in geometry or geometry["id"] is None:
        return UNCODED.get(name)

    country = pycountry.countries.get(numeric=str(geometry["id"]).zfill(3))
    return country.alpha_2 if country else None


@cache
def _countries() -> dict[str, CountryShape]:
    """Every country with a part inside the window, keyed by ISO alpha-2 (decoded once)."""
    topology = json.loads(TOPOJSON.read_text(encoding="utf-8"))
    height = _frame()[3]
    arcs = _decode_arcs(topology)
    parts: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    largest: dict[str, tuple[float, float, float]] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = _alpha2(geometry)
        if code is None:
            continue
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        for polygon in polygons:
            rings = [_ring(ring, arcs) for ring in polygon]
            if not rings or not rings[0] or not _in_window(rings[0]):
                continue
            projected = [
                _thin(clipped)
                for ring in rings
                if (clipped := _clip([_to_map(lon, lat) for lon, lat in ring], WIDTH, height))
            ]
            projected = [ring for ring in projected if len(ring) >= 3]
            if not projected:
                continue
            area, cx, cy = _area_centroid(projected[0])
            if area < MIN_ISLAND_AREA and code in largest:
                continue  # a small island of a country already drawn
            parts.setdefault(code, []).extend(
                "M" + "L".join(f"{x:.0f},{y:.0f}" for x, y in ring) + "Z" for ring in projected
            )
            if area > largest.get(code, (-1.0, 0.0, 0.0))[0]:
                largest[code] = (area, cx, cy)
        names.setdefault(code, geometry.get("properties", {}).get("name", code))
    return {
        code: CountryShape(code, names[code], "".join(paths), (largest[code][1], largest[code][2]))
        for code, paths in parts.items()
    }


def country_centre(code: str) -> tuple[float, float] | None:
    """The anchor point of a country on the map (map units), or None when it is not on the map."""
    shape = _countries().get(code.upper())
    return shape.centre if shape else None


def _fill(value: int, top: int) -> str:
    if value <= 0 or top <= 0:
        return NO_VALUE_FILL
    bucket = min(len(PALETTE) - 1, math.ceil(value / top * len(PALETTE)) - 1)
    return PALETTE[max(0, bucket)]


def _flow_path(start: tuple[float, float], end: tuple[float, float]) -> str:
    (x1, y1), (x2, y2) = start, end
    mx, my = (x1 + x2) / 2, (y1 + y2) / 2
    dx, dy = x2 - x1, y2 - y1
    # Bend to the left of the direction of travel, so that A→B and B→A do not overlap.
    cx, cy = mx - dy * 0.2, my + dx * 0.2
    return f"M{x1:.1f},{y1:.1f}Q{cx:.1f},{cy:.1f} {x2:.1f},{y2:.1f}"


def europe_map_svg(
    country_values: dict[str, int],
    flows: list[tuple[str, str, int]] | None = None,
    links: dict[str, str] | None = None,
    *,
    title: str = "",
    value_label: str = "",
    highlight: set[str] | frozenset[str] | None = None,
) -> SafeString:
    """An SVG map of Europe: countries shaded by value, optional curved flows between countries.

    - `country_values`: ISO alpha-2 code → number (e.g. exchanges whose visitor comes from there);
      countries without a value are drawn light grey, shading has six steps up to the largest value.
    - `flows`: (from code, to code, number), drawn as curves from the first country's centre to the
      second's, wider for larger numbers; flows from or to a country not on the map are skipped.
    - `links`: code → URL; the country's shape becomes a link (e.g. to the list of its records).
    - `title`: the accessible name of the map; `value_label`: the unit in tooltips ("exchanges").
    - `highlight`: codes outlined in dark (e.g. the programme's partner countries).

    Returns markup safe to insert into a template (`{{ svg }}`) or a PDF. Pure function of its
    arguments apart from the cached country shapes.
    """
    shapes = _countries()
    values = {code.upper(): int(value) for code, value in country_values.items() if code}
    links = {code.upper(): url for code, url in (links or {}).items()}
    highlight = {code.upper() for code in (highlight or ())}
    height = _frame()[3]
    top = max(values.values(), default=0)
    unit = f" {value_label}" if value_label else ""
    # A map with links is a group of links for assistive technology; an "img" may not hold controls.
    role = "group" if links else "img"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'class="cx-map" role="{role}" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>" if title else "",
        '<defs><clipPath id="cx-map-window">'
        f'<rect x="0" y="0" width="{WIDTH}" height="{height:.0f}"/></clipPath>'
        f'<marker id="cx-map-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" markerHeight="9" '
        f'markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0L10,5L0,10Z" fill="{FLOW_COLOUR}"/></marker></defs>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{height:.0f}" fill="#f8fbff"/>',
        '<g clip-path="url(#cx-map-window)" stroke-linejoin="round">',
    ]
    highlighted = []
    for code, shape in sorted(shapes.items()):
        value = values.get(code)
        fill = _fill(value, top) if value is not None else OUTSIDE_FILL
        name = country_name(shape)
        label = escape(f"{name}: {value}{unit}" if value is not None else name)
        element = (
            f'<path d="{shape.path}" fill="{fill}" stroke="{BORDER}" stroke-width="0.6" '
            f'data-country="{code}" data-value="{value if value is not None else ""}"><title>{label}</title></path>'
        )
        if code in links:
            element = f'<a href="{escape(links[code])}" aria-label="{label}">{element}</a>'
        out.append(element)
        if code in highlight:
            highlighted.append(
                f'<path d="{shape.path}" fill="none" stroke="#1f2937" stroke-width="1.2" pointer-events="none"/>'
            )
    out.extend(highlighted)
    drawn_flows = [
        (source.upper(), target.upper(), int(number))
        for source, target, number in (flows or [])
        if number > 0
        and source.upper() in shapes
        and target.upper() in shapes
        and source.upper() != target.upper()
    ]
    widest = max((number for *_, number in drawn_flows), default=0)
    if drawn_flows:
        out.append(f'<g fill="none" stroke="{FLOW_COLOUR}" stroke-linecap="round" stroke-opacity="0.75">')
        for source, target, number in sorted(drawn_flows, key=lambda flow: flow[2]):
            width = 1 + 5 * math.sqrt(number / widest)
            label = escape(f"{country_name(shapes[source])} → {country_name(shapes[target])}: {number}{unit}")
            out.append(
                f'<path d="{_flow_path(shapes[source].centre, shapes[target].centre)}" stroke-width="{width:.1f}" '
                f'marker-end="url(#cx-map-arrow)" data-flow="{source}-{target}" data-value="{number}">'
                f"<title>{label}</title></path>"
            )
        out.append("</g>")
    out.append("</g></svg>")
    return mark_safe("".join(out))  # noqa: S308 - every interpolated text is escaped above  # nosec B308 B703


def legend(country_values: dict[str, int]) -> list[tuple[str, str]]:
    """(colour, range text) pairs explaining the shading of `europe_map_svg` for these values."""
    top = max((int(v) for v in country_values.values()), default=0)
    if top <= 0:
        return []
    steps = len(PALETTE)
    items = []
    for index, colour in enumerate(PALETTE):
        low = math.floor(index * top / steps) + 1
        high = math.floor((index + 1) * top / steps)
        if high < low:
            continue
        items.append((colour, f"{low}–{high}" if high > low else f"{low}"))
    return items
