"""The directory as the matching engine sees it, and one index per process kept current.

Every process (web server, worker) keeps its own `MatchingIndex`. Before answering it asks the
database what changed since it last looked (organisations and opportunities carry `updated_at`)
and upserts those profiles, so an edit made through any process is seen by all without a rebuild;
deletions are noticed by the count and trigger a rebuild.
"""

import logging
import threading
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Max, Prefetch

from clusterxchange.core.engine_messages import engine_message
from clusterxchange.directory.models import (
    MatchingOutcome,
    MatchingWeights,
    Opportunity,
    OpportunityStatus,
    Organisation,
    OrganisationType,
)
from clusterxchange.engines import matching
from clusterxchange.engines.matching.semantic import load_default_store

logger = logging.getLogger(__name__)

ENGINE_TYPES = {
    OrganisationType.CLUSTER: matching.OrganisationType.CLUSTER_ORGANISATION,
    OrganisationType.SME: matching.OrganisationType.SME,
    OrganisationType.SCALING_UP: matching.OrganisationType.SCALE_UP_SUPPORT,
    OrganisationType.RESEARCH: matching.OrganisationType.RESEARCH_ORGANISATION,
    OrganisationType.LARGE_COMPANY: matching.OrganisationType.LARGE_COMPANY,
    OrganisationType.PUBLIC_AUTHORITY: matching.OrganisationType.PUBLIC_AUTHORITY,
    OrganisationType.TRAINING_PROVIDER: matching.OrganisationType.TRAINING_PROVIDER,
}


def size_of(organisation: Organisation) -> matching.OrganisationSize:
    staff = organisation.staff_count
    if staff is None:
        return matching.OrganisationSize.UNKNOWN
    if staff < 10:
        return matching.OrganisationSize.MICRO
    if staff < 50:
        return matching.OrganisationSize.SMALL
    if staff < 250:
        return matching.OrganisationSize.MEDIUM
    return matching.OrganisationSize.LARGE


def with_profile_data(organisations):
    """The queryset with everything `profile_of` reads, in a fixed number of queries."""
    live = Opportunity.objects.filter(status=OpportunityStatus.PUBLISHED).select_related("type")
    return organisations.prefetch_related(
        "ecosystems", "sectors", "people__languages", Prefetch("opportunities", queryset=live, to_attr="live")
    )


def profile_of(organisation: Organisation, extra_text: str = "") -> matching.OrganisationProfile:
    """Expects `with_profile_data`; `extra_text` adds words (e.g. an exchange's motivation)."""
    opportunities = getattr(organisation, "live", None)
    if opportunities is None:
        opportunities = organisation.opportunities.filter(status=OpportunityStatus.PUBLISHED).select_related(
            "type"
        )
    languages = sorted({lang.code for person in organisation.people.all() for lang in person.languages.all()})
    return matching.OrganisationProfile(
        id=str(organisation.pk),
        name=organisation.name,
        organisation_type=ENGINE_TYPES.get(organisation.org_type, matching.OrganisationType.OTHER),
        country=str(organisation.country),
        description=" ".join(part for part in (organisation.description, extra_text) if part),
        keywords=tuple(organisation.keyword_list),
        ecosystems=tuple(ecosystem.name for ecosystem in organisation.ecosystems.all()),
        nace_codes=tuple(sector.code for sector in organisation.sectors.all()),
        size=size_of(organisation),
        languages=tuple(languages),
        opportunities=tuple(
            matching.Opportunity(
                kind=o.type.kind, direction=o.type.direction, text=o.description, title=o.title
            )
            for o in opportunities
            if not o.is_expired
        ),
    )


def embeddings_file():
    """Where the optional model's sentence embeddings are kept across restarts (computed once per text):
    settings.MATCHING_EMBEDDINGS_FILE, else matching-embeddings.sqlite in the data folder."""
    configured = getattr(settings, "MATCHING_EMBEDDINGS_FILE", None)
    if configured:
        return configured
    settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
    return settings.DATA_DIR / "matching-embeddings.sqlite"


class DirectoryIndex:
    """A process-wide index of all organisations, refreshed from the database before each use."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._index: matching.MatchingIndex | None = None
        self._seen_at: datetime | None = None
        self._count = 0

    @staticmethod
    def _stamp() -> tuple[datetime | None, int]:
        organisations = Organisation.objects.aggregate(changed=Max("updated_at"), count=Count("pk"))
        opportunities = Opportunity.objects.aggregate(changed=Max("updated_at"))
        stamps = [stamp for stamp in (organisations["changed"], opportunities["changed"]) if stamp]
        return (max(stamps) if stamps else None), organisations["count"]

    def current(self) -> matching.MatchingIndex:
        with self._lock:
            changed_at, count = self._stamp()
            if self._index is None or count < self._count:
                load_default_store(embeddings_file())
                profiles = [profile_of(org) for org in with_profile_data(Organisation.objects.all())]
                self._index = matching.MatchingIndex(profiles)
                logger.info(
                    "matching index of %d profiles: %s", len(profiles), self._index.semantic_status.message
                )
            elif changed_at is not None and (self._seen_at is None or changed_at > self._seen_at):
                changed = Organisation.objects.filter(
                    updated_at__gt=self._seen_at
                ) | Organisation.objects.filter(opportunities__updated_at__gt=self._seen_at)
                for organisation in with_profile_data(changed.distinct()):
                    self._index.upsert(profile_of(organisation))
            self._seen_at, self._count = changed_at, count
            return self._index

    def reset(self) -> None:
        with self._lock:
            self._index, self._seen_at, self._count = None, None, 0


directory_index = DirectoryIndex()


def partner_suggestions(organisation: Organisation, limit: int = 10) -> list[tuple[Organisation, list[str]]]:
    """Organisations whose offers answer this one's requests (and the reverse), with the reasons."""
    index = directory_index.current()
    try:
        found = matching.suggest(
            index, str(organisation.pk), matching.MatchingUse.PARTNER_SEARCH, limit=limit
        )
    except ValueError:
        return []
    by_id = Organisation.objects.in_bulk([int(s.candidate_id) for s in found])
    return [
        (by_id[int(s.candidate_id)], [engine_message(reason) for reason in s.reasons])
        for s in found
        if int(s.candidate_id) in by_id
    ]


# Learning from outcomes ---------------------------------------------------------------------------


def record_outcome(
    use: str, asking: Organisation, candidate: Organisation, kind: str, *, rating=None, source: str = ""
) -> None:
    """Called by the domain actions where a suggested partner is accepted, declined or rated."""

    MatchingOutcome.objects.create(
        use=str(use), asking=asking, candidate=candidate, kind=kind, rating=rating, source=source
    )


def policy_for(use: matching.MatchingUse) -> matching.MatchingPolicy:
    """The engine's policy for a use, with the learned weights once someone has approved them."""

    policy = matching.default_policy(use)
    stored = MatchingWeights.objects.filter(use=str(use)).first()
    return policy.with_weights(stored.weights) if stored else policy


def _outcomes(use: matching.MatchingUse) -> list[matching.Outcome]:

    return [
        matching.Outcome(asking_id=str(a), candidate_id=str(c), kind=kind, use=use, rating=rating)
        for a, c, kind, rating in MatchingOutcome.objects.filter(use=str(use)).values_list(
            "asking_id", "candidate_id", "kind", "rating"
        )
    ]


def _auc(index, outcomes, policy) -> float | None:
    from sklearn.metrics import roc_auc_score  # noqa: PLC0415 — heavy: loaded only to evaluate the matcher

    labelled = [
        o for o in outcomes if o.label is not None and o.asking_id in index and o.candidate_id in index
    ]
    labels = [o.label for o in labelled]
    if len(set(labels)) < 2:
        return None
    table = matching.component_table(index, [(o.asking_id, o.candidate_id) for o in labelled], policy)
    return float(roc_auc_score(labels, table @ policy.weights.as_array()))


def learn(use: matching.MatchingUse, *, apply: bool = False):
    """Learn weights on half of the askers and measure them on the other half (AUC of the scores
    against the recorded outcomes, before and after). With `apply`, learn on all and store them."""

    index = directory_index.current()
    outcomes = _outcomes(use)
    current = policy_for(use)
    train = [o for o in outcomes if int(o.asking_id) % 2 == 0]
    test = [o for o in outcomes if int(o.asking_id) % 2 == 1]
    trial = matching.learn_weights(index, train, current)
    before = _auc(index, test, current)
    after = _auc(index, test, current.with_weights(trial.weights))
    learned = matching.learn_weights(index, outcomes, current)
    if apply and learned.fitted:
        MatchingWeights.objects.update_or_create(
            use=str(use),
            defaults={
                "weights": learned.weights.as_dict(),
                "positives": learned.positives,
                "negatives": learned.negatives,
                "held_out_auc_before": before,
                "held_out_auc_after": after,
            },
        )
    return learned, before, after
