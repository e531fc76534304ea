from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TandemsConfig(AppConfig):
    name = "clusterxchange.tandems"
    label = "tandems"
    verbose_name = _("Learning tandems")
