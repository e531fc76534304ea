"""Exchanges approved before the grant's applied rules were kept with their code hold the English
sentences themselves. The grant engine wrote each one as `template.format(**params)` from
APPLIED_RULE_TEMPLATES, unchanged since the engine was written (git log of
engines/grants/messages.py: one commit), so each sentence is read back into its code and figures
against a frozen copy of those templates. A sentence is converted only if writing it again from the
figures read gives the same text; any other text stays as it is (still shown as written)."""

import re

from django.db import migrations

TEMPLATES = {
    "weekends_excluded": "{weekend_days} weekend day(s) not counted as working days.",
    "public_holidays_excluded": "{count} public holiday(s) in {calendar} not counted as working days: {names}.",
    "travel_days_excluded": "The first and last day ({start}, {end}) are travel days, not counted.",
    "no_holiday_calendar": "No public-holiday calendar is known for {country}; only weekends were excluded.",
    "unknown_subdivision": (
        "No public-holiday calendar is known for region {subdivision} of {country}; "
        "the national holidays were used."
    ),
    "country_lump_sum": "Lump sum for host country {country}: EUR {amount}.",
    "daily_rate": "{working_days} working day(s) at EUR {rate} per day: EUR {amount}.",
    "capped_country": "Capped at EUR {cap}, the maximum for host country {country}.",
    "halved_short_stay": "Fewer than {minimum} working days ({working_days}): the grant is reduced.",
    "halved_distance": "Distance under {minimum_km} km ({distance_km} km): the grant is reduced.",
    "halved": "Reduced once by the factor {factor}: EUR {amount}.",
}
DECIMALS = {"amount", "rate", "cap", "factor"}  # Decimal in the engine: kept as text, named in "decimals"
NUMBERS = {"weekend_days", "count", "working_days", "minimum", "minimum_km", "distance_km"}
FIELD = re.compile(r"\{(\w+)\}")


def _pattern(template: str) -> re.Pattern:
    parts = FIELD.split(template)  # text, name, text, name, ..., text
    regex = "".join(
        re.escape(part) if index % 2 == 0 else f"(?P<{part}>.+?)" for index, part in enumerate(parts)
    )
    return re.compile(f"^{regex}$", re.S)


PATTERNS = {code: _pattern(template) for code, template in TEMPLATES.items()}


def _number(text: str):
    try:
        return int(text)
    except ValueError:
        return float(text)


def converted(entry):
    """The kept form ({code, params, decimals, message}) of an English sentence, or the entry itself."""
    if not isinstance(entry, str):
        return entry
    for code, pattern in PATTERNS.items():
        match = pattern.match(entry)
        if match is None:
            continue
        try:
            params = {
                name: _number(value) if name in NUMBERS else value
                for name, value in match.groupdict().items()
            }
        except ValueError:
            continue
        if TEMPLATES[code].format(**params) != entry:
            continue
        decimals = [name for name in params if name in DECIMALS]
        return {"code": code, "params": params, "decimals": decimals, "message": entry}
    return entry


def convert(apps, schema_editor):
    Exchange = apps.get_model("exchanges", "Exchange")
    changed = []
    for exchange in Exchange.objects.only("pk", "grant_rules_applied").iterator(chunk_size=500):
        rules = [converted(entry) for entry in exchange.grant_rules_applied or []]
        if rules != exchange.grant_rules_applied:
            exchange.grant_rules_applied = rules
            changed.append(exchange)
    Exchange.objects.bulk_update(changed, ["grant_rules_applied"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("exchanges", "0004_verbose_names"),
    ]

    operations = [
        migrations.RunPython(convert, migrations.RunPython.noop),
    ]
