import re

from django import forms
from django_countries import countries

from clusterxchange.core.widgets import FastSelect


def options(html: str) -> list[tuple[str, bool, str]]:
    found = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', html)
    return [(value, bool(selected), label) for value, selected, label in found]


def test_fast_select_renders_what_djangos_select_renders():
    choices = [("", "---------"), *list(countries)[:40], ("x&y", "Tom & <Jerry>")]
    for value in ("", "AT", "x&y"):
        slow = forms.Select(choices=choices).render("country", value, {"id": "id_country", "required": True})
        fast = FastSelect(choices=choices).render("country", value, {"id": "id_country", "required": True})
        assert options(fast) == options(slow)
        assert sum(selected for _v, selected, _l in options(fast)) == 1
        assert fast.startswith('<select name="country" id="id_country" required>')
    assert "Tom &amp; &lt;Jerry&gt;" in fast and 'value="x&amp;y" selected' in fast


def test_fast_select_keeps_optgroups():
    choices = [("Europe", [("DE", "Germany"), ("FR", "France")]), ("", "None")]
    html = FastSelect(choices=choices).render("c", "FR", {})
    assert (
        '<optgroup label="Europe"><option value="DE">Germany</option><option value="FR" selected>France</option></optgroup>'
        in html
    )
