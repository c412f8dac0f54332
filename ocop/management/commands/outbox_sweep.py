"""Hand the outbox's pending tasks to Celery once, as the beat schedule does every minute, and print the counts."""
from django.core.management.base import BaseCommand

from ocop.outbox import SWEEP_BATCH, SWEEP_MIN_AGE, outbox_sweep


class Command(BaseCommand):
    help = ("Hand over the background tasks the broker could not take when their change was saved (ocop/outbox.py); "
            "without a broker they run here. Safe to run at any time, also beside the beat schedule: each task is "
            "claimed before it is handed over.")

    def add_arguments(self, parser):
        parser.add_argument("--min-age", type=float, default=SWEEP_MIN_AGE,
                            help="leave tasks younger than this many seconds to the request that made them "
                                 f"(default {SWEEP_MIN_AGE:g})")
        parser.add_argument("--limit", type=int, default=SWEEP_BATCH, help=f"at most this many (default {SWEEP_BATCH})")

    def handle(self, *args, min_age, limit, **options):
        counts = outbox_sweep(min_age=min_age, limit=limit)
        self.stdout.write(f"handed over: {counts['sent']}; still pending: {counts['pending']}; "
                          f"failed when run: {counts['errors']}; forgotten: {counts['pruned']}")
