"""Load the demo data from the seeds. Idempotent: a second run changes nothing."""
from django.core.management.base import BaseCommand
from django.db import transaction

from ocop.registry import demo_loaders


class Command(BaseCommand):
    help = "Load demo data (units, logins, cycles, subjects, products, evaluations, certificates)."

    def handle(self, *args, **options):
        with transaction.atomic():
            for loader in demo_loaders():
                loader(lambda text: self.stdout.write("  " + text))
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Every demo login uses the password ocop-demo."))
