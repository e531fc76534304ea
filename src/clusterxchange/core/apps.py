from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "clusterxchange.core"
    label = "core"
    verbose_name = _("Reference data and audit")

    def ready(self) -> None:
        # Imported for their side effects: the operational checks and the periodic jobs' receiver.
        from clusterxchange.core import operations, periodic  # noqa: F401
