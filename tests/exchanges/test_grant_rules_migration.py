"""The data migration that turns the English sentences of older approved grants into the kept form
(code and figures): every sentence the engine writes is read back exactly as the engine keeps it
now; a text it did not write stays as it is."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.utils import translation

from clusterxchange.core.engine_messages import applied_rule_text, stored_applied_rule
from clusterxchange.engines.grants.messages import AppliedRule, AppliedRuleCode
from clusterxchange.exchanges.models import Exchange

migration = importlib.import_module("clusterxchange.exchanges.migrations.0005_grant_rules_applied_codes")

RULES = [
    AppliedRule(AppliedRuleCode.WEEKENDS_EXCLUDED, {"weekend_days": 2}),
    AppliedRule(
        AppliedRuleCode.PUBLIC_HOLIDAYS_EXCLUDED,
        {"count": 2, "calendar": "DE-BY", "names": "Ascension Day (29 May), Whit Monday: 9 June"},
    ),
    AppliedRule(AppliedRuleCode.TRAVEL_DAYS_EXCLUDED, {"start": "2026-06-01", "end": "2026-06-12"}),
    AppliedRule(AppliedRuleCode.NO_HOLIDAY_CALENDAR, {"country": "XK"}),
    AppliedRule(AppliedRuleCode.UNKNOWN_SUBDIVISION, {"subdivision": "ZZ", "country": "ES"}),
    AppliedRule(AppliedRuleCode.COUNTRY_LUMP_SUM, {"country": "ES", "amount": Decimal("1000.00")}),
    AppliedRule(
        AppliedRuleCode.DAILY_RATE, {"working_days": 8, "rate": Decimal("95.50"), "amount": Decimal("764.00")}
    ),
    AppliedRule(AppliedRuleCode.CAPPED_COUNTRY, {"cap": Decimal("1500"), "country": "PL"}),
    AppliedRule(AppliedRuleCode.HALVED_SHORT_STAY, {"minimum": 5, "working_days": 3}),
    AppliedRule(AppliedRuleCode.HALVED_DISTANCE, {"minimum_km": 200.0, "distance_km": 87.31224}),
    AppliedRule(AppliedRuleCode.HALVED_DISTANCE, {"minimum_km": 200, "distance_km": 12.5}),
    AppliedRule(AppliedRuleCode.HALVED, {"factor": Decimal("0.5"), "amount": Decimal("500.00")}),
]


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: str(rule.code))
def test_each_sentence_the_engine_wrote_is_read_back_as_it_is_kept_now(rule):
    assert migration.converted(rule.message) == stored_applied_rule(rule)


def test_every_applied_rule_of_the_engine_is_covered():
    assert {str(rule.code) for rule in RULES} == {str(code) for code in AppliedRuleCode}


@pytest.mark.django_db
def test_older_exchanges_are_converted_and_read_in_the_readers_language(xworld):
    exchange = xworld.new_exchange(state="matched")
    unknown = "A note typed by hand in the admin."
    older = [RULES[5].message, RULES[11].message, unknown]
    Exchange.objects.filter(pk=exchange.pk).update(grant_rules_applied=older)
    newer = xworld.new_exchange(state="matched")
    Exchange.objects.filter(pk=newer.pk).update(grant_rules_applied=[stored_applied_rule(RULES[0])])
    migration.convert(apps, None)
    exchange.refresh_from_db()
    assert exchange.grant_rules_applied == [
        stored_applied_rule(RULES[5]),
        stored_applied_rule(RULES[11]),
        unknown,
    ]
    newer.refresh_from_db()
    assert newer.grant_rules_applied == [stored_applied_rule(RULES[0])]
    with translation.override("fr"):
        assert (
            applied_rule_text(exchange.grant_rules_applied[0])
            == "Forfait pour le pays d'accueil ES\u00a0: 1\u202f000,00\u00a0€."
        )
