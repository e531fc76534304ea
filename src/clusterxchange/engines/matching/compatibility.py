"""Which offers answer which requests.

The Enterprise Europe Network has five profile types: business offer, business request,
technology offer, technology request and R&D request. A request is answered by an offer of the
same kind; an R&D request (a consortium looking for partners) is answered by technology offers,
because a technology offer describes exactly the capability a consortium needs, and by research
offers (a research organisation publishing its R&D capability, which EEN files as a technology
offer but this engine also accepts as its own kind). A technology request is likewise answered
by a research offer. Offers never answer offers and requests never answer requests.
"""

from __future__ import annotations

from .profiles import Direction, OpportunityKind

ANSWERING_OFFER_KINDS: dict[OpportunityKind, tuple[OpportunityKind, ...]] = {
    OpportunityKind.BUSINESS: (OpportunityKind.BUSINESS,),
    OpportunityKind.TECHNOLOGY: (OpportunityKind.TECHNOLOGY, OpportunityKind.RESEARCH),
    OpportunityKind.RESEARCH: (OpportunityKind.RESEARCH, OpportunityKind.TECHNOLOGY),
}


def answers(offer_kind: OpportunityKind, request_kind: OpportunityKind) -> bool:
    """True when an offer of `offer_kind` can answer a request of `request_kind`."""
    return offer_kind in ANSWERING_OFFER_KINDS[request_kind]


def can_match(first: tuple[OpportunityKind, Direction], second: tuple[OpportunityKind, Direction]) -> bool:
    """True for an (offer, request) pair in either order whose kinds are compatible."""
    (first_kind, first_direction), (second_kind, second_direction) = first, second
    if first_direction == second_direction:
        return False
    if first_direction == Direction.OFFER:
        return answers(first_kind, second_kind)
    return answers(second_kind, first_kind)
