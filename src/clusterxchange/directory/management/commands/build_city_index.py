from django.core.management.base import BaseCommand

from clusterxchange.directory.locating import prepare_city_index


class Command(BaseCommand):
    help = (
        "Build the index of GeoNames' cities that fills an organisation's coordinates from its city "
        "(PLACES_DIR), so the first organisation saved does not wait for it (seconds, once per machine)."
    )

    def handle(self, *args, **options):
        path, built = prepare_city_index()
        self.stdout.write(f"{'Built' if built else 'Already built'}: {path}")
