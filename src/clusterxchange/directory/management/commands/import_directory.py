from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from clusterxchange.core.addresses import address_in
from clusterxchange.core.tabular import TableError, read_table
from clusterxchange.directory.models import Organisation, OrganisationType
from clusterxchange.directory.tasks import import_table


class Command(BaseCommand):
    help = (
        "Import organisations or people from a CSV/XLSX file as a user (same checks as the import page): "
        "all rows or none. --background queues it for `clusterxchange worker`."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--kind", choices=["organisations", "people"], default="organisations")
        parser.add_argument("--as", dest="email", required=True, help="The importing user's email.")
        parser.add_argument("--cluster", default="", help="Slug of the cluster the organisations join.")
        parser.add_argument("--background", action="store_true", help="Queue it as a background task.")

    def handle(self, *args, file, kind, email, cluster, background, **options):
        path = Path(file)
        try:
            table = read_table(path.name, path.read_bytes())
        except (OSError, TableError) as error:
            raise CommandError(str(error)) from error
        actor = get_user_model().objects.filter(address_in("email", [email])).first()
        if actor is None:
            raise CommandError(f"No user with the email {email}.")
        cluster_id = None
        if cluster:
            found = Organisation.objects.filter(slug=cluster, org_type=OrganisationType.CLUSTER).first()
            if found is None:
                raise CommandError(f"No cluster {cluster}.")
            cluster_id = found.pk
        arguments = (kind, table.headers, table.rows, actor.pk, cluster_id)
        if background:
            result = import_table.enqueue(*arguments)
            self.stdout.write(f"Queued the import of {len(table.rows)} rows (task {result.id}).")
            return
        report = import_table.call(*arguments)
        for error in report["errors"]:
            self.stderr.write(f"row {error['row']} {error['field']}: {error['message']}")
        if report["error_count"]:
            listed = (
                f" (the first {len(report['errors'])} listed)"
                if len(report["errors"]) < report["error_count"]
                else ""
            )
            raise CommandError(f"Nothing imported: {report['error_count']} errors{listed}.")
        self.stdout.write(f"Imported {report['created']} {kind}.")
