from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "clusterxchange.core"
    label = "core"
    verbose_name = _("Reference data and audit")

    def ready(self) -> None:
        from clusterxchange.core import operations  # noqa: F401 - registers the operational checks
