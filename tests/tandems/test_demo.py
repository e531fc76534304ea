"""The demo parts of tandems and training: the EXCITE partners' tandems on the four topics with
sessions and outcomes, self-assessments, two strategy reviews, 40+ labelled training entries."""

import pytest

from clusterxchange.core.demo import load_demo
from clusterxchange.programmes.models import Programme
from clusterxchange.tandems import kpis as tandem_kpis
from clusterxchange.tandems.models import CapabilityAssessment, StrategyReview, Tandem
from clusterxchange.training import kpis as training_kpis
from clusterxchange.training.models import TrainingEntry


@pytest.mark.django_db
def test_demo_tandems_and_training():
    load_demo()
    programme = Programme.objects.get(slug="excite")
    tandems = Tandem.objects.filter(programme=programme)
    assert {t.topic.code for t in tandems} == {
        "digital-transformation",
        "cluster-excellence",
        "cybersecurity",
        "cluster-branding",
    }
    for tandem in tandems:
        assert tandem.participants.count() >= 2
        assert tandem.sessions.filter(status="held").exists()
        assert tandem.outcomes.exists()
    assert (
        CapabilityAssessment.objects.filter(partner__programme=programme).values("period").distinct().count()
        == 2
    )
    assert StrategyReview.objects.filter(status="completed").count() == 2
    assert tandem_kpis.strategies_reviewed(programme) == 2
    entries = TrainingEntry.objects.published()
    assert entries.count() >= 40
    assert entries.filter(is_demo=True).count() == entries.count()
    assert all(".example/" in link for link in entries.values_list("link", flat=True))
    assert training_kpis.staff_trained(programme) >= 12
    before = (Tandem.objects.count(), TrainingEntry.objects.count())
    load_demo()
    assert (Tandem.objects.count(), TrainingEntry.objects.count()) == before
