"""Housekeeping of meeting requests: expire overdue requests and remind recipients once.

Run it hourly (cron, systemd timer), or let the task worker run `events.tasks.expire_and_remind`.
"""

from django.core.management.base import BaseCommand

from clusterxchange.events.domain import expire_requests, remind_pending


class Command(BaseCommand):
    help = "Expire overdue meeting requests and remind recipients of requests about to expire."

    def handle(self, *args, **options):
        expired = expire_requests()
        reminded = remind_pending()
        self.stdout.write(f"{expired} requests expired, {reminded} reminders sent.")
