from decimal import Decimal

import pytest

from clusterxchange.directory.sme import is_sme
from tests.conftest import make_org

M = Decimal(1_000_000)


@pytest.mark.parametrize(
    ("staff", "turnover", "balance", "expected"),
    [
        (249, 50 * M, None, True),  # at both limits
        (250, 10 * M, 10 * M, False),  # 250 staff is not "fewer than 250"
        (249, 50 * M + 1, None, False),  # turnover one euro over, no balance sheet to rescue it
        (249, 50 * M + 1, 43 * M, True),  # turnover over but balance sheet at its limit
        (249, 50 * M + 1, 43 * M + 1, False),  # both over
        (10, None, 43 * M, True),
        (0, Decimal(0), Decimal(0), True),
        (10, None, None, None),  # cannot be decided
        (None, 1 * M, 1 * M, None),
    ],
)
def test_sme_by_the_eu_definition(staff, turnover, balance, expected):
    assert is_sme(staff, turnover, balance) is expected


@pytest.mark.django_db
def test_sme_status_is_stored_on_save():
    org = make_org("Delta", "DE", staff_count=300, turnover_eur=1 * M)
    assert org.is_sme is False
    org.staff_count = 30
    org.save()
    org.refresh_from_db()
    assert org.is_sme is True
