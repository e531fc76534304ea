"""Every change to what a directory search filters on bumps the "directory" count version
(core/cached_counts.py), whichever way it is made: domain actions, the admin, imports, fixtures."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from clusterxchange.core.cached_counts import bump
from clusterxchange.core.models import Ecosystem, NaceCode
from clusterxchange.directory.models import ClusterMembership, Organisation

COUNT_SCOPE = "directory"


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
