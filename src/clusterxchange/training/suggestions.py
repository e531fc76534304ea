"""Course suggestions for a partner cluster, from its weakest capabilities (a transparent rule).

The cluster's latest self-assessment gives its topics ordered from the lowest level up (a stated
learning wish first among equals; topics at level 4–5 without a wish are skipped). For each such
topic, published courses on that topic are suggested, at a level that fits (beginner courses for
levels 1–2, intermediate for 3, advanced for 4–5 first), courses with upcoming dates and a
certificate first. Courses a staff member of the cluster already completed are left out. Each
suggestion says why.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from clusterxchange.tandems.domain import current_assessments
from clusterxchange.training.models import Level, RecordStatus, TrainingEntry

FITTING_LEVEL = {
    1: Level.BEGINNER,
    2: Level.BEGINNER,
    3: Level.INTERMEDIATE,
    4: Level.ADVANCED,
    5: Level.ADVANCED,
}


@dataclass(frozen=True)
class CourseSuggestion:
    entry: TrainingEntry
    topic_name: str
    cluster_level: int
    reason: str


def weakest_topics(partner, limit: int = 3):
    latest = [
        a
        for (partner_id, _topic), a in current_assessments(partner.programme).items()
        if partner_id == partner.pk
    ]
    candidates = [a for a in latest if a.level <= 3 or a.wants_to_learn]
    candidates.sort(key=lambda a: (a.level, not a.wants_to_learn, a.topic.position))
    return candidates[:limit]


def _why(wants_to_learn: bool, level_fits: bool) -> str:
    """Why a course is suggested, one whole sentence per case (placeholders topic, level, course_level)."""
    if wants_to_learn and level_fits:
        return _(
            "Your cluster wants to learn “%(topic)s” and rates itself %(level)d/5; "
            "the course level (%(course_level)s) fits."
        )
    if wants_to_learn:
        return _("Your cluster wants to learn “%(topic)s” and rates itself %(level)d/5.")
    if level_fits:
        return _(
            "Your cluster rates itself %(level)d/5 on “%(topic)s”, one of its weakest topics; "
            "the course level (%(course_level)s) fits."
        )
    return _("Your cluster rates itself %(level)d/5 on “%(topic)s”, one of its weakest topics.")


def suggest_courses(partner, per_topic: int = 3) -> list[CourseSuggestion]:
    done = set(
        partner.training_records.filter(status=RecordStatus.COMPLETED).values_list("entry_id", flat=True)
    )
    now = timezone.now()
    suggestions, seen = [], set(done)
    for assessment in weakest_topics(partner):
        fitting = FITTING_LEVEL[assessment.level]
        entries = (
            TrainingEntry.objects.published()
            .filter(topics=assessment.topic)
            .exclude(pk__in=seen)
            .prefetch_related("topics", "languages")
            .distinct()
        )
        ranked = sorted(
            entries,
            key=lambda e: (
                e.level != fitting,
                not e.sessions.filter(starts_at__gte=now).exists() and e.format != "self_paced",
                not e.certificate,
                e.title,
            ),
        )[:per_topic]
        for entry in ranked:
            seen.add(entry.pk)
            why = _why(assessment.wants_to_learn, entry.level == fitting) % {
                "topic": assessment.topic,
                "level": assessment.level,
                "course_level": entry.get_level_display().lower(),
            }
            suggestions.append(CourseSuggestion(entry, str(assessment.topic), assessment.level, why))
    return suggestions
