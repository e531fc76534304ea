"""Amounts of money as a person reads them, in the reader's language: "€600.00" in English, "600,00 €" in
German and French (the CLDR patterns, from Babel). Every page, PDF and message shows an amount with
`money` (templates: `{{ amount|money }}` from cx_i18n); exports for machines (CSV, XLSX, API) keep the plain
number."""

from decimal import Decimal

from babel.numbers import format_currency
from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import get_language


def money(amount, currency: str = "EUR", language: str | None = None) -> str:
    """``amount`` (a number, or its text) in ``currency``, formatted for ``language`` (default: the
    page's); "" for no amount."""
    if amount is None or amount == "":
        return ""
    locale = (language or get_language() or settings.LANGUAGE_CODE).replace("-", "_")
    return format_currency(Decimal(str(amount)), currency, locale=locale)


later_money = lazy(money, str)
later_money.__doc__ = """`money(amount)` formatted when the text is rendered, in the reader's language (an email
written while the actor's language is active, sent in each recipient's)."""
