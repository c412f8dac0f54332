"""Generate national-volume data for benchmarks (bulk inserts; PostgreSQL recommended)."""
import time

from django.core.management.base import BaseCommand, CommandError

from bench.scale import seed_scale


class Command(BaseCommand):
    help = ("National volume: 34 provinces, 3,321 communes and the pre-2025 districts, 10,000 subjects, 30,000 "
            "products, 60,000 ideas, three years of evaluations with their scorecards and criterion scores, "
            "certificates in every status. --scale shrinks every count (e.g. 0.1).")

    def add_arguments(self, parser):
        parser.add_argument("--provinces", type=int, default=34)
        parser.add_argument("--years", type=int, default=3)
        parser.add_argument("--scale", type=float, default=1.0)

    def handle(self, *args, provinces, years, scale, **options):
        if not 0 < scale <= 1 or not 1 <= provinces <= 34 or not 1 <= years <= 10:
            raise CommandError("--scale must be in (0, 1], --provinces 1-34, --years 1-10")
        started = time.perf_counter()
        try:
            counts = seed_scale(provinces=provinces, years=years, scale=scale,
                                log=lambda text: self.stdout.write(text))
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(
            f"{counts} in {time.perf_counter() - started:.0f} s"))
