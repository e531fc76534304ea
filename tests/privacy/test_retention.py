"""Evidence retention: `purge_evidence` lists by default and deletes with --apply, with audit entries."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from clusterxchange.core.models import AuditEntry
from clusterxchange.exchanges.models import Evidence, Exchange
from clusterxchange.privacy import retention
from tests.privacy.conftest import add_evidence


@pytest.mark.date_sensitive
def test_due_evidence_follows_the_settings(pworld, xworld, settings):
    settings.EVIDENCE_RETENTION_DAYS = 365
    settings.EVIDENCE_RETENTION_DAYS_UNPAID = 30
    recent_paid = xworld.new_exchange("paid", paid_on=timezone.localdate() - timedelta(days=10))
    add_evidence(recent_paid)
    running = xworld.new_exchange("report_submitted", visitor_organisation=pworld.base.org_a2)
    add_evidence(running)
    declined = xworld.new_exchange("declined", visitor_organisation=pworld.base.org_a2)
    old_unpaid = add_evidence(declined)
    Exchange.objects.filter(pk=declined.pk).update(updated_at=timezone.now() - timedelta(days=31))
    due = set(retention.due_evidence())
    assert due == {pworld.evidence, old_unpaid}  # paid 2023-04-01 is over 365 days ago
    settings.EVIDENCE_RETENTION_DAYS = 5000
    assert set(retention.due_evidence()) == {old_unpaid}
    assert set(retention.due_evidence(now=timezone.now() + timedelta(days=5000))) == {
        pworld.evidence,
        old_unpaid,
        recent_paid.evidence.get(),
    }


def test_purge_command_is_a_dry_run_unless_applied(pworld, settings, django_capture_on_commit_callbacks):
    settings.EVIDENCE_RETENTION_DAYS = 365
    name = pworld.evidence.file.name
    call_command("purge_evidence", stdout=(out := StringIO()))
    assert "1 files are due. Dry run" in out.getvalue() and pworld.paid.reference in out.getvalue()
    assert Evidence.objects.filter(pk=pworld.evidence.pk).exists() and default_storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_evidence", "--apply", stdout=(out := StringIO()))
    assert "Deleted 1 of 1 files" in out.getvalue()
    assert not Evidence.objects.filter(pk=pworld.evidence.pk).exists()
    assert not default_storage.exists(name)
    entry = AuditEntry.objects.get(action="privacy.evidence.purge")
    assert entry.object_id == str(pworld.paid.pk) and "travel" in entry.comment
    assert date.fromisoformat("2023-04-01") == Exchange.objects.get(pk=pworld.paid.pk).paid_on


def test_the_task_purges(pworld, settings, django_capture_on_commit_callbacks):
    from clusterxchange.privacy.tasks import purge_evidence

    settings.EVIDENCE_RETENTION_DAYS = 0
    with django_capture_on_commit_callbacks(execute=True):
        result = purge_evidence.enqueue()
    assert result.return_value == 1
