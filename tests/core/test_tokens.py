from datetime import timedelta

import pytest

from clusterxchange.core.domain import Refused
from clusterxchange.core.tokens import read_signed, sign

SALT = "tests.core.tokens"


def read(token, **kwargs):
    return read_signed(
        token, salt=SALT, read=lambda data: int(data["n"]), invalid="Changed or cut.", **kwargs
    )


def test_a_signed_link_reads_back_its_data():
    assert read(sign({"n": 7}, salt=SALT)) == 7


@pytest.mark.parametrize(
    "token",
    [
        sign({"n": 7}, salt=SALT)[:-3],  # cut short
        sign({"n": 7}, salt=SALT).replace(":", ";", 1),  # changed
        sign({"n": 7}, salt="another kind of link"),  # a link of another kind
        sign({"m": 7}, salt=SALT),  # data the reader does not expect
        sign({"n": "seven"}, salt=SALT),
        "",
    ],
)
def test_a_changed_cut_or_foreign_link_is_refused_with_the_reason(token):
    with pytest.raises(Refused, match="Changed or cut"):
        read(token)


def test_an_expired_link_is_refused_with_its_own_reason(fixed_clock):
    token = sign({"n": 7}, salt=SALT)
    assert read(token, max_age=timedelta(days=1), expired="Too old.") == 7
    fixed_clock.shift(timedelta(days=1, minutes=1))
    with pytest.raises(Refused, match="Too old"):
        read(token, max_age=timedelta(days=1), expired="Too old.")
    with pytest.raises(Refused, match="Changed or cut"):
        read(token, max_age=timedelta(days=1))
