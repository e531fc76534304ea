"""Tandem partner suggestions: a transparent rule over the latest self-assessments.

For each topic on which a cluster wants to learn (or rates itself 1–2 of 5), every other partner
cluster of the programme that can teach the topic (or rates itself 4–5 of 5) and rates itself
higher is a candidate. Candidates are ranked by the gap between the two levels (bigger first), a
stated "can teach" before a high rating alone, then by name. Pairs that already run a planned or
active tandem on the topic are left out. Each suggestion says why, in words.

The rule decides which pairs qualify. Among pairs with the same gap, the matching engine (use
`tandem_partner`) ranks the mentors: each partner cluster's profile carries what it can teach as
offers and what it wants to learn as requests, next to its description, ecosystems and languages,
and the engine's strongest other reasons ("both in Digital", "speaks German") are added to the rule's.
"""

from dataclasses import dataclass, replace

from django.utils.translation import gettext as _

from clusterxchange.core.engine_messages import engine_message
from clusterxchange.directory.matching import profile_of, with_profile_data
from clusterxchange.directory.models import Organisation
from clusterxchange.engines import matching
from clusterxchange.programmes.models import PartnerCluster
from clusterxchange.tandems.domain import current_assessments
from clusterxchange.tandems.models import CapabilityAssessment, Tandem, TandemStatus, Topic

WEAK_LEVEL = 2
STRONG_LEVEL = 4


@dataclass(frozen=True)
class PartnerSuggestion:
    learner: PartnerCluster
    mentor: PartnerCluster
    topic: Topic
    learner_level: int
    mentor_level: int
    mentor_can_teach: bool
    reason: str
    affinity: float = 0.0
    also: tuple[str, ...] = ()

    @property
    def gap(self) -> int:
        return self.mentor_level - self.learner_level


def _wants(assessment: CapabilityAssessment) -> bool:
    return assessment.wants_to_learn or assessment.level <= WEAK_LEVEL


def _strong(assessment: CapabilityAssessment) -> bool:
    return assessment.can_teach or assessment.level >= STRONG_LEVEL


def _reason(learner: CapabilityAssessment, mentor: CapabilityAssessment) -> str:
    learn = (
        _("%(learner)s wants to learn “%(topic)s” (rates itself %(level)d/5)")
        if learner.wants_to_learn
        else _("%(learner)s rates itself only %(level)d/5 on “%(topic)s”")
    ) % {"learner": learner.partner.cluster, "topic": learner.topic, "level": learner.level}
    teach = (
        _("%(mentor)s can teach it (rates itself %(level)d/5)")
        if mentor.can_teach
        else _("%(mentor)s rates itself %(level)d/5 on it")
    ) % {"mentor": mentor.partner.cluster, "level": mentor.level}
    return f"{learn}; {teach}."


def _affinities(programme, latest) -> dict[tuple[int, int], tuple[float, tuple[str, ...]]]:
    """{(learner partner id, mentor partner id): (engine score, engine reasons other than text)}."""

    partners = {p.cluster_id: p for p in PartnerCluster.objects.filter(programme=programme)}
    wishes: dict[int, list[matching.Opportunity]] = {}
    for assessment in latest.values():
        text = str(assessment.topic.name)
        if _strong(assessment):
            wishes.setdefault(assessment.partner_id, []).append(
                matching.Opportunity(kind="business", direction="offer", text=text, title=text)
            )
        if _wants(assessment):
            wishes.setdefault(assessment.partner_id, []).append(
                matching.Opportunity(kind="business", direction="request", text=text, title=text)
            )
    profiles = [
        replace(profile_of(cluster), opportunities=tuple(wishes.get(partners[cluster.pk].pk, ())))
        for cluster in with_profile_data(Organisation.objects.filter(pk__in=partners))
    ]
    if len(profiles) < 2:
        return {}
    index = matching.MatchingIndex(profiles)
    found = {}
    for profile in profiles:
        try:
            ranked = matching.suggest(
                index, profile.id, matching.MatchingUse.TANDEM_PARTNER, limit=len(profiles)
            )
        except ValueError:
            continue
        learner = partners[int(profile.id)].pk
        for suggestion in ranked:
            reasons = [r for r in suggestion.reasons if r.component != "text_relevance"][:2]
            extra = tuple(engine_message(r) for r in reasons)
            found[(learner, partners[int(suggestion.candidate_id)].pk)] = (suggestion.score, extra)
    return found


def suggest_partners(programme, *, for_partner: PartnerCluster | None = None, limit: int = 50):
    latest = current_assessments(programme)
    affinities = _affinities(programme, latest)
    running = {
        (tandem.topic_id, frozenset(p.partner_id for p in tandem.participants.all()))
        for tandem in Tandem.objects.filter(
            programme=programme, status__in=[TandemStatus.PLANNED, TandemStatus.ACTIVE]
        ).prefetch_related("participants")
    }
    by_topic: dict[int, list[CapabilityAssessment]] = {}
    for assessment in latest.values():
        by_topic.setdefault(assessment.topic_id, []).append(assessment)
    suggestions = []
    for assessments in by_topic.values():
        for learner in assessments:
            if for_partner is not None and learner.partner_id != for_partner.pk:
                continue
            if not _wants(learner):
                continue
            for mentor in assessments:
                if mentor.partner_id == learner.partner_id or not _strong(mentor):
                    continue
                if mentor.level <= learner.level:
                    continue
                if any(
                    topic == learner.topic_id and {learner.partner_id, mentor.partner_id} <= members
                    for topic, members in running
                ):
                    continue
                suggestions.append(
                    PartnerSuggestion(
                        learner=learner.partner,
                        mentor=mentor.partner,
                        topic=learner.topic,
                        learner_level=learner.level,
                        mentor_level=mentor.level,
                        mentor_can_teach=mentor.can_teach,
                        reason=_reason(learner, mentor),
                        affinity=affinities.get((learner.partner_id, mentor.partner_id), (0.0, ()))[0],
                        also=affinities.get((learner.partner_id, mentor.partner_id), (0.0, ()))[1],
                    )
                )
    suggestions.sort(
        key=lambda s: (
            -s.gap,
            not s.mentor_can_teach,
            -s.affinity,
            s.topic.position,
            s.learner.cluster.name,
            s.mentor.cluster.name,
        )
    )
    return suggestions[:limit]
