"""The learning topics: the four EXCITE tandem topics and a few more cluster-management topics.

Reference data loaded by a data migration (and by tests that flush the database); shared by the
tandems (self-assessment, tandems) and the training catalogue (course topics).
"""

# (code, name, EXCITE tandem topic?)
TOPICS: list[tuple[str, str, bool]] = [
    ("digital-transformation", "Digital tools & digital transformation", True),
    ("cluster-excellence", "Cluster excellence management & leadership skills", True),
    ("cybersecurity", "Cybersecurity", True),
    ("cluster-branding", "Cluster branding", True),
    ("internationalisation", "Internationalisation & international cooperation", False),
    ("member-services", "Member services & business models", False),
    ("funding", "Funding & EU project management", False),
    ("green-transition", "Green transition & sustainability", False),
    ("skills-talent", "Skills & talent development", False),
    ("innovation-support", "Innovation support & technology transfer", False),
]


def load_topics(apps=None) -> None:
    """Create or update the topics (idempotent); `apps` is the migration state when given."""
    if apps is None:
        from clusterxchange.tandems.models import Topic
    else:
        Topic = apps.get_model("tandems", "Topic")
    for position, (code, name, excite) in enumerate(TOPICS):
        Topic.objects.update_or_create(
            code=code, defaults={"name": name, "is_excite_topic": excite, "position": position}
        )
