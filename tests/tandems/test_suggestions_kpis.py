"""Partner suggestions (a learning wish × another's strength, explained) and the strategies KPI."""

from datetime import date

from clusterxchange.tandems import domain, kpis
from clusterxchange.tandems.domain import Rating
from clusterxchange.tandems.suggestions import suggest_partners
from tests.tandems.conftest import topic

# A completed second review of A's strategy (its first, in the fixture, is on 1 June 2023).
SECOND_LOOK = {
    "strategy_title": "Strategy A, second look",
    "reviewers": "B people",
    "review_date": date(2023, 9, 1),
    "findings": "F",
    "recommendations": "R",
    "status": "completed",
}


def test_a_learning_wish_meets_a_strength_with_the_reason(tw):
    branding = topic("cluster-branding")
    coordinator = tw.user("coordinator")
    domain.assess_capabilities(
        coordinator, tw.partner_a, tw.period_1, [Rating(branding, 2, wants_to_learn=True)]
    )
    domain.assess_capabilities(coordinator, tw.partner_b, tw.period_1, [Rating(branding, 4)])
    domain.assess_capabilities(coordinator, tw.partner_c, tw.period_1, [Rating(branding, 5, can_teach=True)])
    suggestions = suggest_partners(tw.world.programme)
    assert [(s.learner.cluster.name, s.mentor.cluster.name) for s in suggestions] == [
        ("Cluster A", "Cluster C"),  # bigger gap first
        ("Cluster A", "Cluster B"),
    ]
    assert suggestions[0].reason == (
        "Cluster A wants to learn “Cluster branding” (rates itself 2/5); Cluster C can teach it (rates itself 5/5)."
    )
    assert suggestions[1].reason.endswith("Cluster B rates itself 4/5 on it.")


def test_the_latest_period_counts_and_running_tandems_are_left_out(tw):
    cyber = topic("cybersecurity")
    coordinator = tw.user("coordinator")
    domain.assess_capabilities(
        coordinator, tw.partner_a, tw.period_1, [Rating(cyber, 1, wants_to_learn=True)]
    )
    domain.assess_capabilities(coordinator, tw.partner_c, tw.period_1, [Rating(cyber, 5, can_teach=True)])
    domain.assess_capabilities(coordinator, tw.partner_b, tw.period_1, [Rating(cyber, 4, can_teach=True)])
    # A and C already run the cyber tandem (active): only B is suggested to A
    assert [s.mentor.cluster.name for s in suggest_partners(tw.world.programme)] == ["Cluster B"]
    # A learned: in P2 it rates itself 4 and has no wish any more
    domain.assess_capabilities(coordinator, tw.partner_a, tw.period_2, [Rating(cyber, 4)])
    assert suggest_partners(tw.world.programme) == []


def test_strategies_reviewed_counts_each_strategy_once(tw):
    programme = tw.world.programme
    assert kpis.strategies_reviewed(programme) == 1
    fields = dict(SECOND_LOOK)
    domain.create_review(tw.user("coordinator"), tw.partner_a, [tw.partner_b], fields)
    domain.create_review(tw.user("coordinator"), tw.partner_b, [tw.partner_a], {**fields, "status": "draft"})
    assert kpis.strategies_reviewed(programme) == 1  # A twice, B still a draft
    domain.create_review(
        tw.user("coordinator"), tw.partner_c, [tw.partner_a], {**fields, "review_date": date(2022, 5, 1)}
    )
    assert kpis.strategies_reviewed(programme) == 2
    assert kpis.strategies_reviewed_by_period(programme) == {"P1": 1, "P2": 1}


def test_outcome_and_status_counts(tw):
    domain.record_outcome(
        tw.user("staff"),
        tw.tandem,
        tw.partner_a,
        {"kind": "new", "service": "Audit", "description": "An audit.", "launched_on": date(2023, 9, 1)},
    )
    assert kpis.tandem_outcomes(tw.world.programme, start=date(2023, 1, 1), end=date(2023, 12, 31)) == 1
    assert kpis.tandems_by_status(tw.world.programme) == {"active": 1}


def test_the_matching_engine_ranks_mentors_with_the_same_gap(tw):
    from clusterxchange.core.models import Ecosystem

    branding = topic("cluster-branding")
    digital = Ecosystem.objects.get(code="digital")
    tw.world.cluster_a.ecosystems.add(digital)
    tw.partner_c.cluster.ecosystems.add(digital)  # C shares an ecosystem with A, B does not
    coordinator = tw.user("coordinator")
    domain.assess_capabilities(
        coordinator, tw.partner_a, tw.period_1, [Rating(branding, 2, wants_to_learn=True)]
    )
    domain.assess_capabilities(coordinator, tw.partner_b, tw.period_1, [Rating(branding, 5, can_teach=True)])
    domain.assess_capabilities(coordinator, tw.partner_c, tw.period_1, [Rating(branding, 5, can_teach=True)])
    suggestions = suggest_partners(tw.world.programme)
    assert [s.mentor.cluster.name for s in suggestions] == ["Cluster C", "Cluster B"]
    assert suggestions[0].affinity > suggestions[1].affinity
    assert any("Digital" in reason for reason in suggestions[0].also)


def test_completed_reviews_keeps_to_the_window_and_a_strategy_counts_only_in_its_first(tw):
    programme = tw.world.programme  # A's strategy: completed review on 1 June 2023
    fields = dict(SECOND_LOOK)
    second = domain.create_review(tw.user("coordinator"), tw.partner_a, [tw.partner_b], fields)
    assert set(kpis.completed_reviews(programme)) == {tw.review, second}
    assert list(kpis.completed_reviews(programme, start=date(2023, 7, 1))) == [second]
    assert list(kpis.completed_reviews(programme, end=date(2023, 7, 1))) == [tw.review]
    assert list(kpis.completed_reviews(programme, start=date(2023, 6, 1), end=date(2023, 6, 1))) == [
        tw.review
    ]
    # Reviewed again in the window, but first reviewed before it: not a newly reviewed strategy.
    assert kpis.strategies_reviewed(programme, start=date(2023, 7, 1)) == 0
    assert kpis.strategies_reviewed(programme, start=date(2023, 6, 1), end=date(2023, 6, 30)) == 1
