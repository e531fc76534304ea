"""A meeting's reason for not being placed becomes a stored reason (kind and ids) instead of English
text, so that it is said in the reader's language with names. The texts stored before keep being
shown as they are (a reason without a kind)."""

from django.db import migrations, models


def text_to_note(apps, schema_editor):
    Meeting = apps.get_model("events", "Meeting")
    for meeting in Meeting.objects.exclude(unscheduled_reason="").only("pk", "unscheduled_reason").iterator():
        Meeting.objects.filter(pk=meeting.pk).update(
            scheduler_note={"code": "", "text": meeting.unscheduled_reason}
        )


def note_to_text(apps, schema_editor):
    Meeting = apps.get_model("events", "Meeting")
    for meeting in Meeting.objects.exclude(scheduler_note={}).only("pk", "scheduler_note").iterator():
        Meeting.objects.filter(pk=meeting.pk).update(
            unscheduled_reason=meeting.scheduler_note.get("text", "")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0009_event_staff"),
    ]

    operations = [
        migrations.AddField(
            model_name="meeting",
            name="scheduler_note",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(text_to_note, note_to_text),
        migrations.RemoveField(
            model_name="meeting",
            name="unscheduled_reason",
        ),
    ]
