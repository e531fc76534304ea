from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "clusterxchange.messaging"
    label = "messaging"
    verbose_name = _("Messages to groups")

    def ready(self):
        from clusterxchange.messaging import tasks  # noqa: F401 - connects the task_finished receiver
