"""SME status by the EU definition (Commission Recommendation 2003/361/EC, Annex Art. 2).

An enterprise is an SME when it has fewer than 250 staff AND either an annual turnover of at
most EUR 50 million OR an annual balance sheet total of at most EUR 43 million.
"""

from decimal import Decimal

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
