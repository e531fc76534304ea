"""Permissions of core's own actions (the rules of each app live in its `rules.py`)."""

import rules

from clusterxchange.core.roles import has_every_permission, roles_of


@rules.predicate
def is_coordinator(user) -> bool:
    return roles_of(user).is_coordinator


# Starting a failed background task again (from the admin's task list).
rules.add_perm("core.restart_task", is_coordinator)


def may_view_in_admin(user, programme_id: int | None = None) -> bool:
    """The read-only admin pages of programme records: staff coordinators, for their programmes
    (any of them when ``programme_id`` is None), and superusers."""
    if not (user.is_active and user.is_staff):
        return False
    if has_every_permission(user):
        return True
    ids = roles_of(user).coordinator_programme_ids
    return bool(ids) if programme_id is None else programme_id in ids
