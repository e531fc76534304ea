"""A user's roles, computed once per request: what every app's `rules.py` asks first.

- coordinator: holds a coordinator role in a programme;
- cluster manager: a manager membership in a cluster organisation;
- organisation member: any membership (members own their organisation's profile);
- programme member: any logged-in user with one of the above (sees contact details);
- anonymous: the public.

The roles come from memberships and programme roles, which live in apps above core: the accounts app
registers the function that reads them (`read_roles`, from `AccountsConfig.ready()`), so core and the
apps below accounts (directory, programmes) ask for roles without importing it.

A superuser may do everything: `has_every_permission` is that yes, and the rules ask it rather than
`user.is_superuser` (the accounts' `User.has_perm` too). Inside `by_roles(user)` it is set aside, and
the rules answer what the person's roles allow: what waits for the first account of a fresh install
(a superuser and the programme's coordinator) is what a coordinator is asked, not every party's step
of every exchange.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from clusterxchange.core.hooks import Hook
from clusterxchange.core.memo import cached_on_object, forget_cached


@dataclass(frozen=True)
class Roles:
    coordinator_programme_ids: frozenset[int] = frozenset()
    organisation_ids: frozenset[int] = frozenset()
    managed_organisation_ids: frozenset[int] = frozenset()
    managed_cluster_ids: frozenset[int] = frozenset()
    cluster_ids: frozenset[int] = field(default=frozenset())

    @property
    def is_coordinator(self) -> bool:
        return bool(self.coordinator_programme_ids)

    @property
    def is_cluster_manager(self) -> bool:
        return bool(self.managed_cluster_ids)

    @property
    def is_programme_member(self) -> bool:
        return self.is_coordinator or bool(self.organisation_ids)


ANONYMOUS = Roles()

read_roles = Hook("a signed-in user's roles (accounts.roles.compute_roles)")


def roles_of(user) -> Roles:
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    return _signed_in_roles(user)


@cached_on_object
def _signed_in_roles(user) -> Roles:
    return read_roles(user)


# The accounts (by primary key) whose questions are answered by their roles alone (`by_roles`).
_asked_by_roles: ContextVar[frozenset[int]] = ContextVar("asked_by_roles", default=frozenset())


def has_every_permission(user) -> bool:
    """Whether the rules say yes to `user` whatever they ask: an active superuser, unless asked by roles."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.is_superuser
        and user.pk not in _asked_by_roles.get()
    )


@contextmanager
def by_roles(user) -> Iterator[None]:
    """Inside, the rules answer for `user` what their roles allow, as if they were no superuser; the
    account itself is not changed. The answers kept on the account (`core.memo`) are forgotten when
    the question changes, on the way in and out (only for a superuser: for anyone else they stand)."""
    if not has_every_permission(user):
        yield
        return
    token = _asked_by_roles.set(_asked_by_roles.get() | {user.pk})
    forget_cached(user)
    try:
        yield
    finally:
        _asked_by_roles.reset(token)
        forget_cached(user)
