"""What the training app tells the apps above it: a certificate downloaded (`certificate_downloaded`:
actor, record), which the privacy app logs as a read of the person's data (`PrivacyConfig.ready()`
connects the receiver)."""

from django.dispatch import Signal

certificate_downloaded = Signal()
