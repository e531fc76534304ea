"""A user's roles, computed once per request: what every app's `rules.py` asks first.

- coordinator: holds a coordinator role in a programme;
- cluster manager: a manager membership in a cluster organisation;
- organisation member: any membership (members own their organisation's profile);
- programme member: any logged-in user with one of the above (sees contact details);
- anonymous: the public.

The roles come from memberships and programme roles, which live in apps above core: the accounts app
registers the function that reads them (`read_roles`, from `AccountsConfig.ready()`), so core and the
apps below accounts (directory, programmes) ask for roles without importing it.
"""

from dataclasses import dataclass, field

from clusterxchange.core.hooks import Hook
from clusterxchange.core.memo import cached_on_object


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
