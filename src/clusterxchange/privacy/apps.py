from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "clusterxchange.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        from clusterxchange.directory.signals import listing_changed, person_viewed
        from clusterxchange.exchanges.signals import evidence_downloaded
        from clusterxchange.privacy import access, consents
        from clusterxchange.training.signals import certificate_downloaded

        # The apps below tell what privacy records: reads of a person's data, consent to be listed.
        person_viewed.connect(access.on_person_viewed, dispatch_uid="cx_privacy_person_viewed")
        evidence_downloaded.connect(access.on_evidence_downloaded, dispatch_uid="cx_privacy_evidence")
        certificate_downloaded.connect(
            access.on_certificate_downloaded, dispatch_uid="cx_privacy_certificate"
        )
        listing_changed.connect(consents.on_listing_changed, dispatch_uid="cx_privacy_listing")
