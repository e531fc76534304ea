"""What the exchanges tell the apps above them: an evidence file downloaded (`evidence_downloaded`:
actor, evidence), which the privacy app logs as a read of the visitor's personal data
(`PrivacyConfig.ready()` connects the receiver)."""

from django.dispatch import Signal

evidence_downloaded = Signal()
