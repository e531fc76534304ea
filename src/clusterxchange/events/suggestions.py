"""Meeting suggestions from the matching engine, among the validated participants of one event.

Each participant is a profile `r<registration id>` owned by `o<organisation id>` (so two people of
one organisation are never suggested to each other), built from the organisation's directory
profile plus what the participant wrote for the event. One index per event and process, rebuilt
when the participants change.
"""

import dataclasses
import threading

from django.db.models import Max, Q

from clusterxchange.core.engine_messages import engine_message
from clusterxchange.directory.matching import embeddings_file, profile_of, with_profile_data
from clusterxchange.directory.models import Organisation
from clusterxchange.engines import matching
from clusterxchange.engines.matching.semantic import load_default_store
from clusterxchange.events.models import Event, MeetingRequest, Registration
from clusterxchange.events.questions import forbidden_partners

_lock = threading.Lock()
_indexes: dict[int, tuple[tuple, matching.MatchingIndex, frozenset[str]]] = {}


def profile_id(registration_id: int) -> str:
    return f"r{registration_id}"


def _participants(event: Event):
    return event.registrations.filter(status=Registration.Status.VALIDATED)


def _stamp(event: Event) -> tuple:
    participants = _participants(event)
    figures = participants.aggregate(
        decided=Max("decided_at"), changed=Max("organisation__updated_at"), last=Max("pk")
    )
    return (participants.count(), figures["decided"], figures["changed"], figures["last"])


def _profiles(event: Event) -> list[matching.OrganisationProfile]:
    registrations = list(_participants(event).only("pk", "organisation_id", "profile"))
    organisations = with_profile_data(
        Organisation.objects.filter(pk__in={r.organisation_id for r in registrations})
    )
    by_id = {organisation.pk: organisation for organisation in organisations}
    profiles = []
    for registration in registrations:
        base = profile_of(by_id[registration.organisation_id], registration.profile)
        profiles.append(
            dataclasses.replace(
                base, id=profile_id(registration.pk), parent_id=f"o{registration.organisation_id}"
            )
        )
    return profiles


def event_index(event: Event) -> tuple[matching.MatchingIndex, frozenset[str]]:
    stamp = _stamp(event)
    with _lock:
        cached = _indexes.get(event.pk)
        if cached is None or cached[0] != stamp:
            # the model's vectors are kept across restarts in the directory's file, not only in memory
            load_default_store(embeddings_file())
            profiles = _profiles(event)
            cached = (stamp, matching.MatchingIndex(profiles), frozenset(p.id for p in profiles))
            _indexes[event.pk] = cached
        return cached[1], cached[2]


def suggestions_for(registration: Registration, limit: int = 8) -> list[tuple[Registration, list[str]]]:
    """Participants this one should meet, best first, with the reasons; known contacts and
    participants of a type this one may not meet left out."""
    if registration.status != Registration.Status.VALIDATED:
        return []
    index, ids = event_index(registration.event)
    asking = profile_id(registration.pk)
    if asking not in ids:
        return []
    contacted = set()
    pairs = MeetingRequest.objects.filter(
        Q(requester=registration) | Q(recipient=registration), status__in=["pending", "accepted"]
    ).values_list("requester_id", "recipient_id")
    for requester, recipient in pairs:
        contacted.add(profile_id(recipient if requester == registration.pk else requester))
    # Participants whose type this one may not meet are never suggested (the event's rule).
    contacted.update(profile_id(pk) for pk in forbidden_partners(registration))
    context = matching.MatchingContext(participant_ids=ids, excluded_ids=frozenset(contacted))
    try:
        found = matching.suggest(index, asking, matching.MatchingUse.EVENT_MEETING, context, limit=limit)
    except ValueError:
        return []
    by_id = Registration.objects.select_related("organisation").in_bulk(
        [int(s.candidate_id[1:]) for s in found]
    )
    return [
        (by_id[int(s.candidate_id[1:])], [engine_message(reason) for reason in s.reasons])
        for s in found
        if int(s.candidate_id[1:]) in by_id
    ]


def reset() -> None:
    with _lock:
        _indexes.clear()
