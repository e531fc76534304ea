import logging

from django.core import mail

from clusterxchange.core.mail import send_after_commit


def test_emails_leave_after_the_commit(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send_after_commit([("Subject", "Body", "from@example.org", ["to@example.org"])])
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert [message.subject for message in mail.outbox] == ["Subject"]


def test_a_mail_outage_is_logged_not_raised(db, settings, caplog, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        send_after_commit([("Exchange CX-1 validated", "Body", "from@example.org", ["to@example.org"])])
    assert "Could not send 1 notification email(s): Exchange CX-1 validated" in caplog.text
