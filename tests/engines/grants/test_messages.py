"""Every code has an English template whose named parameters the engine fills in."""

import pytest

from clusterxchange.engines.grants import (
    APPLIED_RULE_TEMPLATES,
    REASON_TEMPLATES,
    AppliedRule,
    AppliedRuleCode,
    Reason,
    ReasonCode,
)


@pytest.mark.parametrize("code", list(ReasonCode))
def test_every_reason_has_a_template(code):
    assert REASON_TEMPLATES[code].strip()


@pytest.mark.parametrize("code", list(AppliedRuleCode))
def test_every_applied_rule_has_a_template(code):
    assert APPLIED_RULE_TEMPLATES[code].strip()


def test_message_formats_the_named_parameters():
    reason = Reason(ReasonCode.TOO_SHORT, {"working_days": 2, "minimum": 3})
    assert reason.template == "The stay has {working_days} working day(s); the minimum is {minimum}."
    assert reason.message == "The stay has 2 working day(s); the minimum is 3."
    assert reason.code == "too_short"


def test_applied_rule_message():
    rule = AppliedRule(AppliedRuleCode.CAPPED_COUNTRY, {"cap": 1100, "country": "ES"})
    assert rule.message == "Capped at EUR 1100, the maximum for host country ES."
