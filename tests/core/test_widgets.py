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


def test_fast_select_renders_model_choices_and_multiple_selection(db):
    from clusterxchange.core.models import Ecosystem

    field = forms.ModelMultipleChoiceField(queryset=Ecosystem.objects.all(), to_field_name="code")
    widget = type("FastSelectMultiple", (FastSelect,), {"allow_multiple_selected": True})(
        choices=field.choices
    )
    first, second = Ecosystem.objects.all()[:2]
    html = widget.render("ecosystems", [first.code, second.code], {"id": "id_e"})
    assert html.startswith('<select name="ecosystems" id="id_e" multiple>')
    assert [value for value, selected, _label in options(html) if selected] == [first.code, second.code]
    assert len(options(html)) == Ecosystem.objects.count()


def test_fast_select_selects_only_the_first_of_equal_values():
    html = FastSelect(choices=[("a", "A"), ("a", "A again")]).render("c", "a", {})
    assert [selected for _v, selected, _l in options(html)] == [True, False]


def test_model_choices_come_from_the_cache_until_their_scope_changes(db, settings, django_assert_num_queries):
    from clusterxchange.core.cached_counts import bump
    from clusterxchange.core.models import Ecosystem

    settings.CACHED_COUNTS = True
    field = forms.ModelChoiceField(queryset=Ecosystem.objects.all(), to_field_name="code")
    field.widget = FastSelect(data_scope="test")
    field.widget.choices = field.choices
    with django_assert_num_queries(1):
        first = field.widget.render("e", "digital", {})
        assert field.widget.render("e", "digital", {}) == first
    assert 'value="digital" selected' in first and options(first)[0] == ("", False, "---------")
    Ecosystem.objects.create(code="space", name="Space")
    bump("test")
    assert ("space", False, "Space") in options(field.widget.render("e", "digital", {}))
    settings.CACHED_COUNTS = False
    with django_assert_num_queries(1):
        field.widget.render("e", "digital", {})
