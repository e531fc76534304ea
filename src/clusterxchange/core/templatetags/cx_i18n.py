from django import template

from clusterxchange.core.dates import date_range
from clusterxchange.core.engine_messages import applied_rule_text, engine_message
from clusterxchange.core.money import money
from clusterxchange.core.texts import one_full_stop

register = template.Library()


@register.filter(name="engine_message")
def engine_message_filter(item) -> str:
    """`{{ reason|engine_message }}`: an engine's reason in the page's language."""
    return engine_message(item)


@register.filter(name="applied_rule")
def applied_rule_filter(entry) -> str:
    """`{{ rule|applied_rule }}`: an applied grant rule kept on a record, in the page's language."""
    return applied_rule_text(entry)


@register.filter(name="money")
def money_filter(amount, currency: str = "EUR") -> str:
    """`{{ amount|money }}`: an amount in the page's language ("600,00 €" in German, "€600.00" in English)."""
    return money(amount, currency)


@register.filter(name="date_range")
def date_range_filter(start, end=None) -> str:
    """`{{ start|date_range:end }}`: a span of days in the page's language, one date for a single day."""
    return date_range(start, end)


@register.filter(name="one_full_stop", is_safe=True)
def one_full_stop_filter(text) -> str:
    """`{{ sentence|one_full_stop }}`: a sentence ending on a name like "Acme S.A." ends with one stop."""
    return one_full_stop(text)
