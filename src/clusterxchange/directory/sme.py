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
