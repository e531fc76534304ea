"""The groups beyond the event ones, by sender: visitors and hosts of exchanges in a state (a
coordinator reaches the programme's, a partner manager those of their partnership), partner managers
taking part in tandems (a partner manager: the tandems their cluster takes part in) and authors of
published courses (coordinators only). The event groups and a partner's members are tested in
test_domain.py, guests in test_guests.py."""

import pytest
from django.core import mail

from clusterxchange.messaging import domain, groups
from tests.conftest import make_user
from tests.exchanges.conftest import xworld  # noqa: F401 - fixture
from tests.tandems.conftest import tw  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def reached(sender, audience: str) -> set[str] | None:
    resolved = groups.resolve(sender, audience)
    if resolved is None:
        return None
    return set(domain.reachable(resolved.users(sender)).values_list("email", flat=True))


def test_visitors_and_hosts_of_exchanges_in_a_state_by_sender(xworld):  # noqa: F811 - fixture
    users, programme = xworld.users, xworld.base.programme
    xworld.new_exchange(state="matched")  # Alpha Sensors (partner A) visits Gamma Robotics (partner B)
    xworld.new_exchange(
        state="submitted",
        visitor_organisation=xworld.base.org_b1,
        visitor_partner=programme.partners.get(cluster=xworld.base.cluster_b),
    )
    visitor, host = users["visitor"].email, users["host"].email
    matched, submitted = f"{programme.pk}.matched", f"{programme.pk}.submitted"
    coordinator = users["coordinator"]
    assert reached(coordinator, f"exchange_visitors:{matched}") == {visitor}
    assert reached(coordinator, f"exchange_hosts:{matched}") == {host}
    assert reached(coordinator, f"exchange_visitors:{submitted}") == {host}  # Gamma visits too
    manager_a, manager_b = users["visitor_partnership"], users["host_partnership"]
    assert reached(manager_a, f"exchange_visitors:{matched}") == {visitor}
    assert reached(manager_b, f"exchange_hosts:{matched}") == {host}  # the host's partnership
    assert reached(manager_a, f"exchange_visitors:{submitted}") == set()  # partner B's exchange only
    for member in ("visitor", "host", "same_cluster"):
        assert groups.resolve(users[member], f"exchange_visitors:{matched}") is None


def test_tandem_participants_by_sender_and_course_authors_for_coordinators(
    tw,  # noqa: F811 - fixture
    django_capture_on_commit_callbacks,
):
    manager_c = make_user("manager@cluster-c.example", tw.partner_c.cluster, "manager")
    programme = tw.world.programme
    audience = f"tandem_participants:{programme.pk}"
    manager_a = tw.users["manager"].email
    # The tandem runs between A and C: B's manager is in none.
    assert reached(tw.users["coordinator"], audience) == {manager_a, manager_c.email}
    assert reached(tw.users["manager"], audience) == {manager_a, manager_c.email}
    assert groups.resolve(tw.users["other_manager"], audience) is None
    assert groups.resolve(tw.users["staff"], audience) is None
    # Published courses only (the pending one's author is left out); coordinators only.
    authors = f"course_authors:{programme.pk}"
    assert reached(tw.users["coordinator"], authors) == {tw.users["coordinator"].email}
    assert groups.resolve(tw.users["manager"], authors) is None
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        message = domain.send_message(tw.users["manager"], audience, "Tandem {programme}", "Hello {name}")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([manager_a, manager_c.email])
    assert message.recipients.count() == 2
