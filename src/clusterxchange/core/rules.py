"""Permissions of core's own actions (the rules of each app live in its `rules.py`)."""

import rules

from clusterxchange.accounts.roles import roles_of


@rules.predicate
def is_coordinator(user) -> bool:
    return roles_of(user).is_coordinator


# Starting a failed background task again (from the admin's task list).
rules.add_perm("core.restart_task", is_coordinator)
