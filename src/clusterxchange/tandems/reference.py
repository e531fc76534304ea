"""The learning topics: the four EXCITE tandem topics and a few more cluster-management topics.

Reference data loaded by a data migration (and by tests that flush the database); shared by the
tandems (self-assessment, tandems) and the training catalogue (course topics).
"""

from django.utils.translation import gettext_noop

# (code, name marked for the catalogue, EXCITE tandem topic?)
TOPICS: list[tuple[str, str, bool]] = [
    ("digital-transformation", gettext_noop("Digital tools & digital transformation"), True),
    ("cluster-excellence", gettext_noop("Cluster excellence management & leadership skills"), True),
    ("cybersecurity", gettext_noop("Cybersecurity"), True),
    ("cluster-branding", gettext_noop("Cluster branding"), True),
    ("internationalisation", gettext_noop("Internationalisation & international cooperation"), False),
    ("member-services", gettext_noop("Member services & business models"), False),
    ("funding", gettext_noop("Funding & EU project management"), False),
    ("green-transition", gettext_noop("Green transition & sustainability"), False),
    ("skills-talent", gettext_noop("Skills & talent development"), False),
    ("innovation-support", gettext_noop("Innovation support & technology transfer"), False),
]


def load_topics(apps=None) -> None:
    """Create or update the topics (idempotent); `apps` is the migration state when given."""
    if apps is None:
        from clusterxchange.tandems.models import Topic  # noqa: PLC0415 — the live model only when no migration state is given
    else:
        Topic = apps.get_model("tandems", "Topic")
    for position, (code, name, excite) in enumerate(TOPICS):
        Topic.objects.update_or_create(
            code=code, defaults={"name": name, "is_excite_topic": excite, "position": position}
        )
