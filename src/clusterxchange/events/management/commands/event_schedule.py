"""Schedule an event's accepted meetings from the command line (the same run as the page's button)."""

from django.core.management.base import BaseCommand, CommandError

from clusterxchange.core.domain import Refused
from clusterxchange.events import schedule_reasons, scheduling
from clusterxchange.events.models import Event, SchedulingRun


class Command(BaseCommand):
    help = "Run the B2B scheduler for an event and print the result (meetings placed, moved, not placed)."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="The event's slug (see /events/<slug>/)")

    def handle(self, *args, slug, **options):

        event = Event.objects.filter(slug=slug).first()
        if event is None:
            raise CommandError(f"No event {slug!r}.")
        try:
            scheduling.check_ready(event)
        except Refused as exc:
            raise CommandError(str(exc)) from exc
        run = SchedulingRun.objects.create(event=event)
        self.stdout.write(f"Scheduling {event.title}…")
        run = scheduling.run(run.pk)
        reasons = schedule_reasons.described(event, run.reasons)
        if run.status != SchedulingRun.Status.DONE:
            raise CommandError(" ".join([f"The run failed: {run.message}", *reasons]))
        for reason in reasons:
            self.stdout.write(f"  {run.get_outcome_display()}: {reason}")
        self.stdout.write(
            f"{run.placed} of {run.meetings} meetings placed, {run.moved} moved. "
            f"Publish the agenda on /events/{event.slug}/schedule/."
        )
        unplaced = list(
            event.meetings.filter(status="active", slot__isnull=True)
            .select_related("first__organisation", "second__organisation")
            .order_by("pk")
        )
        notes = schedule_reasons.notes(event, unplaced)
        for meeting in unplaced:
            self.stdout.write(f"  not placed: {meeting} — {notes.get(meeting.pk, '')}")
