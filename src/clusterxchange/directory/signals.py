"""Every change to what a directory search filters on bumps the "directory" count version
(core/cached_counts.py), whichever way it is made: domain actions, the admin, imports, fixtures.

The directory also tells what the privacy app (above it) records: a person's page read by another
user (`person_viewed`: actor, person) and a change of `Person.listed` (`listing_changed`: actor,
person, listed), sent in the action's transaction. `PrivacyConfig.ready()` connects the receivers."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal

from clusterxchange.core.cached_counts import bump
from clusterxchange.core.models import Ecosystem, NaceCode
from clusterxchange.directory.models import ClusterMembership, Organisation

COUNT_SCOPE = "directory"

person_viewed = Signal()
listing_changed = Signal()


def _directory_changed(sender, **kwargs) -> None:
    bump(COUNT_SCOPE)


def connect() -> None:

    for model in (Organisation, ClusterMembership, Ecosystem, NaceCode):
        post_save.connect(_directory_changed, sender=model, dispatch_uid=f"directory-count-{model.__name__}")
        post_delete.connect(
            _directory_changed, sender=model, dispatch_uid=f"directory-count-del-{model.__name__}"
        )
    for relation in (Organisation.ecosystems, Organisation.sectors, Organisation.clusters):
        m2m_changed.connect(
            _directory_changed, sender=relation.through, dispatch_uid=f"directory-count-{relation.field.name}"
        )
