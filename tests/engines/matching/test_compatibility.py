import pytest

from clusterxchange.engines.matching import Direction, OpportunityKind
from clusterxchange.engines.matching.compatibility import answers, can_match

B, T, R = OpportunityKind.BUSINESS, OpportunityKind.TECHNOLOGY, OpportunityKind.RESEARCH
OFFER, REQUEST = Direction.OFFER, Direction.REQUEST


@pytest.mark.parametrize("kind", list(OpportunityKind))
def test_offers_never_match_offers_nor_requests_requests(kind):
    for other in OpportunityKind:
        assert not can_match((kind, OFFER), (other, OFFER))
        assert not can_match((kind, REQUEST), (other, REQUEST))


def test_een_profile_types_match_as_documented():
    assert can_match((T, OFFER), (T, REQUEST))
    assert can_match((B, REQUEST), (B, OFFER))
    assert can_match((T, OFFER), (R, REQUEST))
    assert not can_match((B, OFFER), (T, REQUEST))
    assert not can_match((T, OFFER), (B, REQUEST))
    assert answers(R, T)
