"""Housekeeping of meeting requests: expire overdue requests and remind recipients once.

The task workers run it hourly (the periodic job `expire-meeting-requests`); this runs it by hand.
"""

from django.core.management.base import BaseCommand

from clusterxchange.events.domain.matchmaking import expire_requests, remind_pending


class Command(BaseCommand):
    help = "Expire overdue meeting requests and remind recipients of requests about to expire."

    def handle(self, *args, **options):
        expired = expire_requests()
        reminded = remind_pending()
        self.stdout.write(f"{expired} requests expired, {reminded} reminders sent.")
