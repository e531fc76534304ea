from django.core.management.base import BaseCommand

from clusterxchange.directory.locating import prepare_city_index


class Command(BaseCommand):
    help = (
        "Build the index of GeoNames' cities that fills an organisation's coordinates from its city "
        "(PLACES_DIR) at deployment (seconds, once per machine and version); until it exists, saved "
        "organisations wait for the worker's job `locate-organisations` to build it and fill them."
    )

    def handle(self, *args, verbosity, **options):
        path, built = prepare_city_index()
        if verbosity:
            self.stdout.write(f"{'Built' if built else 'Already built'}: {path}")
