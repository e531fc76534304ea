"""A superuser's yes to everything, in one place (`core.roles.has_every_permission`), and the question
"what do this person's roles allow" (`core.roles.by_roles`), which every rule honours."""

from pathlib import Path

import pytest

from clusterxchange.accounts.models import User
from clusterxchange.core.roles import by_roles, has_every_permission, roles_of
from clusterxchange.joining.rules import may_decide_anything
from clusterxchange.programmes.rules import visible_setups

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2] / "src" / "clusterxchange"


def test_asked_by_roles_a_superuser_without_roles_may_do_nothing_and_stays_a_superuser(world):
    admin = User.objects.create_user(email="root@example.org", password="x", is_superuser=True)
    other = User.objects.create_user(email="other-root@example.org", password="x", is_superuser=True)
    questions = {
        "rules": lambda: admin.has_perm("programmes.add_programme"),
        "a model permission": lambda: admin.has_perm("exchanges.change_exchange"),
        "a queryset": lambda: visible_setups(admin).exists(),
        "a predicate": lambda: may_decide_anything(admin),
        "the one place": lambda: has_every_permission(admin),
    }
    assert all(question() for question in questions.values())
    with by_roles(admin):
        assert {name: question() for name, question in questions.items()} == dict.fromkeys(questions, False)
        assert admin.is_superuser and roles_of(admin) == roles_of(User.objects.get(pk=admin.pk))
        assert has_every_permission(other) and other.has_perm(
            "programmes.add_programme"
        )  # only the one asked
    assert all(question() for question in questions.values())  # asked again as a superuser


def test_asked_by_roles_a_superuser_coordinator_may_do_what_a_coordinator_may(world):
    coordinator = world.users["coordinator"]
    coordinator.is_superuser = True
    coordinator.save()
    with by_roles(coordinator):
        assert coordinator.has_perm("programmes.change_programme", world.programme)
        assert not coordinator.has_perm("exchanges.request_host", None)  # the visitor's step
    assert coordinator.has_perm("exchanges.request_host", None)


def test_the_rules_ask_the_one_place_not_the_account_flag():
    """A rule reading `user.is_superuser` would say yes where `by_roles` asks what the roles allow."""
    readers = [
        str(path.relative_to(SRC))
        for path in sorted(SRC.glob("*/rules.py"))
        if "user.is_superuser" in path.read_text()
    ]
    assert readers == []
