"""Who may write to groups, read the messages sent and record bounces.

- writing: coordinators and partner managers; each group lists only the targets the sender
  administers (groups.py), so nobody writes to people they could not see;
- a message is seen by its sender and by the coordinators of its programme;
- emails that finally failed outside group messages (system notifications): a coordinator sees those
  sent for the programmes they coordinate (`undelivered_emails`); an email sent for no programme (an
  account's own: address confirmation, password reset, roles, joining an organisation) concerns a
  person of any programme, so only superusers see it (and every failure);
- bounces: coordinators.
"""

import rules
from django.db.models import Q

from clusterxchange.core.domain import COORDINATORS_AND_MANAGERS, COORDINATORS_ONLY, refuse_with
from clusterxchange.core.models import OutgoingEmail
from clusterxchange.core.roles import roles_of
from clusterxchange.messaging.models import GroupMessage
from clusterxchange.programmes.rules import is_superuser


@rules.predicate
def can_write(user) -> bool:
    roles = roles_of(user)
    return roles.is_coordinator or roles.is_cluster_manager


@rules.predicate
def is_coordinator(user) -> bool:
    return roles_of(user).is_coordinator


rules.add_perm("messaging.send_message", can_write)
rules.add_perm("messaging.view_undelivered", is_coordinator | is_superuser)
rules.add_perm("messaging.record_bounce", is_coordinator)


def visible_messages(user):
    """The messages the user sent, and those of the programmes they coordinate: pages and API read
    messages only through this queryset (no per-object rule is needed)."""
    if not user.is_authenticated:
        return GroupMessage.objects.none()
    return GroupMessage.objects.filter(
        Q(sender=user) | Q(programme_id__in=roles_of(user).coordinator_programme_ids)
    )


def undelivered_emails(user):
    """The emails that finally failed outside group messages (those show on their message's page) that
    the user may see: a superuser all of them, a coordinator those sent for their programmes."""
    failed = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.FAILED, group_recipient__isnull=True)
    if is_superuser(user):
        return failed
    return failed.filter(programme_id__in=roles_of(user).coordinator_programme_ids)


@rules.predicate
def coordinates_programme(user, programme) -> bool:
    return programme is not None and programme.pk in roles_of(user).coordinator_programme_ids


rules.add_perm("messaging.edit_texts", coordinates_programme)


# What a refused person reads (core.domain.require).
refuse_with("messaging.send_message", COORDINATORS_AND_MANAGERS)
refuse_with("messaging.view_undelivered", COORDINATORS_ONLY)
