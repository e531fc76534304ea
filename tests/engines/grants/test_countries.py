import pytest

from clusterxchange.engines.grants.countries import is_known_country


@pytest.mark.parametrize(
    ("code", "known"),
    [
        ("DE", True),
        ("BG", True),
        ("GR", True),
        ("EL", False),
        ("UK", False),
        ("XX", False),
        ("", False),
        ("DEU", False),
    ],
)
def test_is_known_country(code, known):
    assert is_known_country(code) is known
