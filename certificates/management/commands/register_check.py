"""List every violation of the register's invariants; with --fix, repair what the recorded facts determine."""
import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from certificates.register_check import register_problems, register_repair


class Command(BaseCommand):
    help = ("Check the certificate register: supersession derived from issue dates, one certificate in force per "
            "product, numbers unique per authority, no future dates, 5 stars only from the central level, criteria "
            "version recorded. --fix repairs what can be derived.")

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="repair what can be derived, then check again")
        parser.add_argument("--date", help="the date for 'in force', YYYY-MM-DD (default: today)")

    def handle(self, *args, fix=False, date=None, **options):
        try:
            on = datetime.date.fromisoformat(date) if date else None
        except ValueError as exc:
            raise CommandError(f"--date must be YYYY-MM-DD, not {date!r}.") from exc
        with translation.override("vi"):
            problems = register_problems(on)
            self._report(problems)
            if fix and any(p.fixable for p in problems):
                counts = register_repair()
                self.stdout.write(self.style.SUCCESS(
                    "Repaired: {chains} supersessions, {regulations} criteria versions.".format(**counts)))
                problems = register_problems(on)
                self._report(problems)
        if problems:
            raise CommandError(
                f"{len(problems)} problems left" + ("" if fix else " (--fix repairs the derivable ones)"))
        self.stdout.write(self.style.SUCCESS("The register holds: no problem found."))

    def _report(self, problems):
        for problem in problems:
            mark = "fixable" if problem.fixable else "to decide"
            self.stdout.write(f"[{problem.kind}] ({mark}) {problem.message}")
