"""Run the daily inspection notices once, as the Celery beat schedule does, and print the counts."""
from django.core.management.base import BaseCommand

from certificates.inspections import inspection_notices_run
from certificates.management.commands.flag_expiring_certificates import _day


class Command(BaseCommand):
    help = ("Tell the subjects' representatives of the corrective actions due within 7 days or overdue (and the "
            "officer who recorded an overdue one), of the inspections scheduled, and the provincial offices of the "
            "revocations proposed, in the application and by email. Safe to run again: nobody is told twice.")

    def add_arguments(self, parser):
        parser.add_argument("--date", type=_day, help="run as on this day (YYYY-MM-DD); default: today")

    def handle(self, *args, date=None, **options):
        counts = inspection_notices_run(today=date)
        self.stdout.write(f"notices: {counts['notices']} new, {counts['told']} told; "
                          f"notifications: {counts['notifications']}; emails: {counts['emails_queued']} queued")
