"""Who may write to groups, read the messages sent and record bounces.

- writing: coordinators and partner managers; each group lists only the targets the sender
  administers (groups.py), so nobody writes to people they could not see;
- a message is seen by its sender and by the coordinators of its programme;
- emails that finally failed outside group messages (system notifications) and bounces: coordinators.
"""

import rules
from django.db.models import Q

from clusterxchange.core.roles import roles_of
from clusterxchange.messaging.models import GroupMessage


@rules.predicate
def can_write(user) -> bool:
    roles = roles_of(user)
    return roles.is_coordinator or roles.is_cluster_manager


@rules.predicate
def is_coordinator(user) -> bool:
    return roles_of(user).is_coordinator


rules.add_perm("messaging.send_message", can_write)
rules.add_perm("messaging.view_undelivered", is_coordinator)
rules.add_perm("messaging.record_bounce", is_coordinator)


def visible_messages(user):
    """The messages the user sent, and those of the programmes they coordinate: pages and API read
    messages only through this queryset (no per-object rule is needed)."""
    if not user.is_authenticated:
        return GroupMessage.objects.none()
    return GroupMessage.objects.filter(
        Q(sender=user) | Q(programme_id__in=roles_of(user).coordinator_programme_ids)
    )


@rules.predicate
def coordinates_programme(user, programme) -> bool:
    return programme is not None and programme.pk in roles_of(user).coordinator_programme_ids


rules.add_perm("messaging.edit_texts", coordinates_programme)
