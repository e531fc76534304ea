from django.core.management.base import BaseCommand, CommandError

from clusterxchange.directory.matching import learn
from clusterxchange.engines.matching import MatchingUse


class Command(BaseCommand):
    help = (
        "Learn the matching weights of one use from the recorded outcomes (accepted and declined "
        "suggestions, meeting feedback), show the effect on held-out askers, and store them with --apply."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--use", default=MatchingUse.EXCHANGE_HOST.value, choices=[u.value for u in MatchingUse]
        )
        parser.add_argument("--apply", action="store_true", help="Store the learned weights for this use.")

    def handle(self, *args, use, apply, **options):
        try:
            learned, before, after = learn(MatchingUse(use), apply=apply)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Outcomes: {learned.positives} good, {learned.negatives} bad")
        if learned.note:
            self.stdout.write(learned.note)
        self.stdout.write(f"{'component':<22}{'weight':>8}")
        for name, weight in learned.weights.as_dict().items():
            self.stdout.write(f"{name:<22}{weight:>8.3f}")

        def show(value):
            return "n/a" if value is None else f"{value:.3f}"

        self.stdout.write(f"Held-out AUC: current weights {show(before)}, learned weights {show(after)}")
        self.stdout.write("Stored." if apply and learned.fitted else "Not stored (use --apply).")
