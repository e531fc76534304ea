"""SME status by the EU definition (Commission Recommendation 2003/361/EC, Annex Art. 2).

An enterprise is an SME when it has fewer than 250 staff AND either an annual turnover of at
most EUR 50 million OR an annual balance sheet total of at most EUR 43 million.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

SME_STAFF_LIMIT = 250
SME_TURNOVER_LIMIT_EUR = Decimal("50000000")
SME_BALANCE_SHEET_LIMIT_EUR = Decimal("43000000")


def is_sme(staff: int | None, turnover_eur: Decimal | None, balance_sheet_eur: Decimal | None) -> bool | None:
    """True or False when the figures decide it; None when a needed figure is missing."""
    if staff is None:
        return None
    if staff >= SME_STAFF_LIMIT:
        return False
    financial_tests = [
        value <= limit
        for value, limit in (
            (turnover_eur, SME_TURNOVER_LIMIT_EUR),
            (balance_sheet_eur, SME_BALANCE_SHEET_LIMIT_EUR),
        )
        if value is not None
    ]
    if any(financial_tests):
        return True
    if financial_tests:
        return False
    return None


# Size classes of the same Recommendation (Annex Art. 2): staff ceiling, turnover or balance sheet ceiling.
SIZE_CLASSES = (
    ("micro", 10, Decimal("2000000"), Decimal("2000000")),
    ("small", 50, Decimal("10000000"), Decimal("10000000")),
    ("medium", SME_STAFF_LIMIT, SME_TURNOVER_LIMIT_EUR, SME_BALANCE_SHEET_LIMIT_EUR),
)


def size_class(staff: int | None, turnover_eur: Decimal | None, balance_sheet_eur: Decimal | None) -> str:
    """ "micro", "small", "medium" or "large" ("" without a staff count): by headcount and, when given,
    turnover or balance sheet. The public sees this class, never the figures behind it."""
    if staff is None:
        return ""
    for name, staff_limit, turnover_limit, balance_limit in SIZE_CLASSES:
        financial_tests = [
            value <= limit
            for value, limit in ((turnover_eur, turnover_limit), (balance_sheet_eur, balance_limit))
            if value is not None
        ]
        if staff < staff_limit and (not financial_tests or any(financial_tests)):
            return name
    return "large"


# Plausibility of a self-declaration (organisation registration). The rules refuse only figures no
# enterprise can have, to catch typing errors (a missing or extra group of zeros), never a real outlier:
# - no figure is negative (the form fields refuse it too);
# - at most 2,500,000 staff: more than the world's largest employer (about 2.1 million);
# - a turnover or balance sheet of at most EUR 1,000 billion: more than any enterprise's;
# - a turnover of at most EUR 250 million per head (a staff of 0 counts as one person: the owner):
#   above the highest ratios reported, even by commodity traders;
# - an organisation registered as an "SME" declares its staff and its turnover or balance sheet, and
#   they make it an SME by the definition above.
MAX_STAFF = 2_500_000
MAX_AMOUNT_EUR = Decimal("1000000000000")
MAX_TURNOVER_PER_HEAD_EUR = Decimal("250000000")


def implausible_figures(
    staff: int | None, turnover_eur: Decimal | None, balance_sheet_eur: Decimal | None
) -> dict[str, str]:
    """{field: reason} for each figure no enterprise can have (empty when the figures are plausible)."""
    problems: dict[str, str] = {}
    for name, value in (
        ("staff_count", staff),
        ("turnover_eur", turnover_eur),
        ("balance_sheet_eur", balance_sheet_eur),
    ):
        if value is not None and value < 0:
            problems[name] = _("A figure cannot be negative.")
    if problems:
        return problems
    if staff is not None and staff > MAX_STAFF:
        problems["staff_count"] = _(
            "More than %(limit)s staff is more than any employer in the world: please check the figure."
        ) % {"limit": f"{MAX_STAFF:,}"}
    for name, value in (("turnover_eur", turnover_eur), ("balance_sheet_eur", balance_sheet_eur)):
        if value is not None and value > MAX_AMOUNT_EUR:
            problems[name] = _(
                "More than EUR 1,000 billion is more than any enterprise has: please check the figure "
                "(in euros, not cents)."
            )
    if (
        "turnover_eur" not in problems
        and turnover_eur is not None
        and staff is not None
        and turnover_eur > MAX_TURNOVER_PER_HEAD_EUR * max(staff, 1)
    ):
        problems["turnover_eur"] = _(
            "A turnover of more than EUR 250 million per person (with %(staff)s staff) is not plausible: "
            "please check the staff headcount and the turnover."
        ) % {"staff": staff}
    return problems


def sme_declaration_problems(
    org_type: str, staff: int | None, turnover_eur: Decimal | None, balance_sheet_eur: Decimal | None
) -> dict[str, str]:
    """{field: reason} when the figures are impossible, or contradict the type "SME"."""
    problems = implausible_figures(staff, turnover_eur, balance_sheet_eur)
    if problems or org_type != "sme":
        return problems
    if staff is None:
        return {"staff_count": _("An SME declares its staff headcount.")}
    if turnover_eur is None and balance_sheet_eur is None:
        return {"turnover_eur": _("An SME declares its annual turnover or its balance sheet total.")}
    if staff >= SME_STAFF_LIMIT:
        return {
            "staff_count": _(
                "With %(staff)s staff the organisation is not an SME (fewer than 250 by the EU definition): "
                "choose another type, e.g. large company."
            )
            % {"staff": staff}
        }
    if not is_sme(staff, turnover_eur, balance_sheet_eur):
        return {
            "turnover_eur": _(
                "Above EUR 50 million turnover and EUR 43 million balance sheet the organisation is not an SME "
                "by the EU definition: choose another type, e.g. large company."
            )
        }
    return {}
