"""Import administrative units from a CSV file, all or nothing."""
from django.core.management.base import BaseCommand, CommandError

from ocop.services import UNIT_CSV_COLUMNS, units_import_csv


class Command(BaseCommand):
    help = "Import administrative units from CSV (columns: " + ", ".join(UNIT_CSV_COLUMNS) + ")."

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of a UTF-8 CSV file")

    def handle(self, *args, file, **options):
        try:
            with open(file, encoding="utf-8-sig") as fh:
                text = fh.read()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{file} is not UTF-8 text: {exc}") from exc
        result = units_import_csv(text=text)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(error)
            raise CommandError(f"{len(result.errors)} bad row(s); nothing was imported.")
        self.stdout.write(self.style.SUCCESS(
            f"{result.created} created, {result.updated} updated, {result.unchanged} unchanged."))
