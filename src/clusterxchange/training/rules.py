"""Who may see and do what in the training catalogue and with training records.

- Anyone (the public too) browses published catalogue entries and their calendar.
- Any logged-in user submits an entry; it waits for moderation. The submitter sees and edits it
  while it waits.
- Coordinators moderate, edit, import and check links; their own entries are published at once.
- Training records belong to a partner cluster: its staff (members and managers of the cluster
  organisation) and the programme's coordinators see and manage them; nobody else.
"""

import rules
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clusterxchange.core.domain import COORDINATORS_ONLY, refuse_with
from clusterxchange.core.roles import roles_of
from clusterxchange.programmes.models import PartnerCluster
from clusterxchange.tandems.rules import coordinator_listing, is_partner_staff, staff_cluster_ids
from clusterxchange.training.models import EntryStatus, TrainingRecord


@rules.predicate
def is_coordinator(user) -> bool:
    return roles_of(user).is_coordinator


@rules.predicate
def is_logged_in(user) -> bool:
    return user is not None and user.is_authenticated


@rules.predicate
def is_published(user, entry) -> bool:
    return entry is not None and entry.status == EntryStatus.PUBLISHED


@rules.predicate
def is_pending_submitter(user, entry) -> bool:
    return (
        entry is not None
        and user.is_authenticated
        and entry.submitted_by_id == user.pk
        and entry.status == EntryStatus.PENDING
    )


@rules.predicate
def is_submitter(user, entry) -> bool:
    return entry is not None and user.is_authenticated and entry.submitted_by_id == user.pk


@rules.predicate
def coordinates_record(user, record) -> bool:
    return record is not None and record.partner.programme_id in roles_of(user).coordinator_programme_ids


@rules.predicate
def is_staff_of_record(user, record) -> bool:
    return record is not None and record.partner.cluster_id in staff_cluster_ids(user)


@rules.predicate
def is_staff_of_partner(user, partner) -> bool:
    return partner is not None and partner.cluster_id in staff_cluster_ids(user)


@rules.predicate
def coordinates_partner(user, partner) -> bool:
    return partner is not None and partner.programme_id in roles_of(user).coordinator_programme_ids


rules.add_perm("training", is_coordinator)
rules.add_perm("training.view_trainingentry", is_published | is_coordinator | is_submitter)
rules.add_perm("training.add_trainingentry", is_logged_in)
rules.add_perm("training.change_trainingentry", is_coordinator | is_pending_submitter)
rules.add_perm("training.delete_trainingentry", is_coordinator)
rules.add_perm("training.moderate", is_coordinator)
rules.add_perm("training.import", is_coordinator)
rules.add_perm("training.check_links", is_coordinator)
rules.add_perm("training.view_records", is_coordinator | is_partner_staff)
# Object: the partner cluster the record is written for.
rules.add_perm("training.add_trainingrecord", coordinates_partner | is_staff_of_partner)
rules.add_perm("training.view_trainingrecord", coordinator_listing | coordinates_record | is_staff_of_record)
rules.add_perm(
    "training.change_trainingrecord", coordinator_listing | coordinates_record | is_staff_of_record
)


def record_partners(user):
    """The partners whose training records the user sees and records: those of the programmes they
    coordinate, and the partnerships of the clusters they work for."""
    roles = roles_of(user)
    return PartnerCluster.objects.filter(
        Q(programme_id__in=roles.coordinator_programme_ids) | Q(cluster_id__in=staff_cluster_ids(user))
    )


def visible_records(user):
    """The training records the user sees (pages and API): those of `record_partners`."""
    return TrainingRecord.objects.filter(partner__in=record_partners(user))


# What a refused person reads (core.domain.require).
for _permission in ("training.moderate", "training.check_links", "training.import"):
    refuse_with(_permission, COORDINATORS_ONLY)
refuse_with(
    "training.change_trainingentry",
    _("Only coordinators, and its submitter while it awaits review, may edit this course."),
)
refuse_with(
    "training.view_records", _("Only coordinators and the staff of partner clusters see training records.")
)
refuse_with(
    "training.change_trainingrecord",
    _("Only coordinators and the staff of its partner cluster may change this record."),
)
