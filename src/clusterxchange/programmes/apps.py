from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "clusterxchange.programmes"
    label = "programmes"
    verbose_name = _("Programmes")

    def ready(self) -> None:
        from clusterxchange.core import errors
        from clusterxchange.programmes.models import Programme

        # The error pages (core, below this app) show the current programme's contact address.
        errors.contact_email.register(Programme.objects.contact_email)
