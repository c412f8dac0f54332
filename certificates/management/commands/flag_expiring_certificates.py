"""Run the daily certificate expiry notices once, as the Celery beat schedule does, and print the counts."""
import argparse
import datetime

from django.core.management.base import BaseCommand

from certificates.notices import expiry_notices_run


def _day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


class Command(BaseCommand):
    help = ("Flag the certificates that entered a notice window (OCOP_CERTIFICATE_NOTICE_DAYS, and expiry) and "
            "tell their representatives and officers, in the application and by email. Safe to run again: "
            "nobody is told twice about the same certificate and window.")

    def add_arguments(self, parser):
        parser.add_argument("--date", type=_day, help="run as on this day (YYYY-MM-DD); default: today")

    def handle(self, *args, date=None, **options):
        counts = expiry_notices_run(today=date)
        self.stdout.write(
            f"notices: {counts['notices']} new, {counts['told']} told; notifications: {counts['notifications']}; "
            f"emails: {counts['emails_queued']} queued")
