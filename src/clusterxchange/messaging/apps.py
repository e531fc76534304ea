from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "clusterxchange.messaging"
    label = "messaging"
    verbose_name = _("Messages to groups")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from clusterxchange.core.mail import OptOut, register_opt_out
        from clusterxchange.core.texts import register_custom_lookup
        from clusterxchange.messaging import domain, tasks  # noqa: F401 - tasks connects its receiver

        register_opt_out(OptOut(blocked=domain.blocked_addresses, footer=domain.unsubscribe_footer))
        register_custom_lookup(domain.custom_text)
        autodiscover_modules("notifications")  # each app's notification texts (core.texts.editable)
