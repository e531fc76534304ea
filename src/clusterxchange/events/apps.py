from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "clusterxchange.events"
    label = "events"
    verbose_name = _("Missions, study visits and B2B events")
