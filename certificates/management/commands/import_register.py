"""Import an existing Excel register of OCOP products (dry run unless --commit)."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from certificates.register_import import register_import


class Command(BaseCommand):
    help = "Check (and with --commit import) a register: one row per certificate; all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--commit", action="store_true", help="import when every row is accepted")

    def handle(self, *args, file, commit=False, **options):
        if not file.exists():
            raise CommandError(f"{file} does not exist")
        with translation.override("vi"), file.open("rb") as handle:
            result = register_import(handle, commit=commit)
        for error in result.errors:
            self.stdout.write(self.style.ERROR(error))
        for row in result.rows:
            if row.errors:
                self.stdout.write(self.style.ERROR(f"line {row.line}: " + " ".join(row.errors)))
            elif row.outcome == "unchanged":
                self.stdout.write(f"line {row.line}: {row.product} already recorded as written, left unchanged")
            else:
                self.stdout.write(
                    f"line {row.line}: {row.product} (subject {row.subject}, product {row.product_action})")
        if not result.ok:
            raise CommandError("Nothing imported: correct the refused rows.")
        self.stdout.write(self.style.SUCCESS(
            f"{result.count(outcome='imported')} certificates imported, "
            f"{result.count(outcome='unchanged')} already recorded." if result.committed else
            f"{result.count(outcome='imported')} rows can be imported, {result.count(outcome='unchanged')} already "
            f"recorded (dry run: nothing written; add --commit)."))
