"""The server-side map of Europe: shapes decoded from the vendored TopoJSON, values, flows, links."""

import re
import xml.etree.ElementTree as ET

from clusterxchange.reporting import maps

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output


def test_the_programme_countries_are_on_the_map_and_overseas_parts_are_not():
    shapes = maps._countries()
    for code in ("DE", "FR", "ES", "PL", "LT", "BG", "MT", "CY", "LU", "IS", "PT", "FI"):
        assert code in shapes, code
    width, height = maps.WIDTH, maps._frame()[3]
    for code in ("DE", "FR", "ES", "PL", "LT", "BG"):
        x, y = maps.country_centre(code)
        assert 0 < x < width and 0 < y < height, code
    # France's anchor is the mainland (not French Guiana): west of Germany, south of Denmark.
    assert maps.country_centre("FR")[0] < maps.country_centre("DE")[0]
    assert maps.country_centre("FR")[1] > maps.country_centre("DK")[1]
    # Clipped to the window: no coordinate far outside it.
    numbers = [float(n) for n in re.findall(r"-?\d+", shapes["RU"].path)]
    assert min(numbers) >= -21 and max(numbers) <= max(width, height) + 21


def test_values_shade_countries_and_links_wrap_them():
    svg = maps.europe_map_svg(
        {"DE": 12, "FR": 2, "PL": 0},
        flows=[("FR", "DE", 5), ("DE", "FR", 1), ("DE", "US", 3), ("DE", "DE", 2)],
        links={"DE": "/reporting/x?country=DE&a=<b>"},
        title="Exchanges & more",
        value_label="exchanges",
    )
    root = parse(svg)
    assert root.get("aria-label") == "Exchanges & more"
    paths = {p.get("data-country"): p for p in root.iter(f"{SVG}path") if p.get("data-country")}
    assert paths["DE"].get("fill") == maps.PALETTE[-1]
    assert paths["FR"].get("fill") == maps.PALETTE[0]
    assert paths["PL"].get("fill") == maps.NO_VALUE_FILL
    assert paths["IT"].get("fill") == maps.OUTSIDE_FILL
    assert paths["DE"].find(f"{SVG}title").text == "Germany: 12 exchanges"
    links = list(root.iter(f"{SVG}a"))
    assert [a.get("href") for a in links] == ["/reporting/x?country=DE&a=<b>"]  # escaped in the markup
    assert "&amp;a=&lt;b&gt;" in svg
    flows = {p.get("data-flow"): p for p in root.iter(f"{SVG}path") if p.get("data-flow")}
    assert set(flows) == {"FR-DE", "DE-FR"}  # unknown country and self-flow skipped
    assert float(flows["FR-DE"].get("stroke-width")) > float(flows["DE-FR"].get("stroke-width"))
    assert "style=" not in svg


def test_legend_matches_the_shading():
    values = {"DE": 12, "FR": 7, "ES": 1}
    legend = maps.legend(values)
    assert legend[0] == (maps.PALETTE[0], "1–2") and legend[-1] == (maps.PALETTE[-1], "11–12")
    for value in (1, 2, 3, 7, 12):
        colour = maps._fill(value, 12)
        (text,) = [t for c, t in legend if c == colour]
        low, _, high = text.partition("–")
        assert int(low) <= value <= int(high or low)
    assert maps.legend({}) == []


def test_a_map_with_links_is_a_group_not_an_image():
    """axe (serious): an element with role "img" may not contain links (nested-interactive)."""
    from clusterxchange.reporting.maps import europe_map_svg

    assert 'role="group"' in europe_map_svg({"DE": 3}, links={"DE": "/x/"}, title="Map")
    assert 'role="img"' in europe_map_svg({"DE": 3}, title="Map")
