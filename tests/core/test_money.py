"""Amounts in the reader's language (core.money, `{{ amount|money }}`): "€600.00" in English, "600,00 €" in
German and French; found as "EUR 600.00" on every page of the walk of the demo. Exports for machines keep
the plain number."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from clusterxchange.core.money import money


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "€12,345.50"),
        ("de", "12.345,50\xa0€"),
        ("fr", "12\u202f345,50\xa0€"),
        ("es", "12.345,50\xa0€"),
        ("pl", "12\xa0345,50\xa0€"),
        ("lt", "12\xa0345,50\xa0€"),
        ("bg", "12\xa0345,50\xa0€"),
    ],
)
def test_an_amount_reads_in_the_pages_language(language, expected):
    with translation.override(language):
        assert money(Decimal("12345.5")) == expected
        assert (
            Template("{% load cx_i18n %}{{ amount|money }}").render(Context({"amount": "12345.50"}))
            == expected
        )


def test_no_amount_is_no_text():
    assert money(None) == "" and Template("{% load cx_i18n %}{{ x|money }}").render(Context({})) == ""
