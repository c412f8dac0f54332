"""The programme report of a unit as JSON (standard output) or an Excel workbook."""
import datetime
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from ocop.models import AdministrativeUnit
from promotion.reports import report_data, report_xlsx


class Command(BaseCommand):
    help = ("Summary figures (products by star, subject kind, sector, product set; communes; new, re-recognised, "
            "upgraded; expiring; targets) and the register of OCOP products of a unit, as JSON or XLSX.")

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="the unit's code (province, district or commune)")
        parser.add_argument("--year", type=int, help="the report year (default: this year)")
        parser.add_argument(
            "--date", help="figures on this date, YYYY-MM-DD (default: 31/12 of a past --year, today otherwise)")
        parser.add_argument("--format", choices=["json", "xlsx"], default="json")
        parser.add_argument("--out", type=Path, help="file to write (required for xlsx; JSON goes to stdout)")

    def handle(self, *args, unit, year=None, date=None, format="json", out=None, **options):
        found = AdministrativeUnit.objects.filter(code=unit).first()
        if found is None:
            raise CommandError(f"No unit has the code {unit!r}.")
        today = None
        if date:
            try:
                today = datetime.date.fromisoformat(date)
            except ValueError as exc:
                raise CommandError(f"--date must be YYYY-MM-DD, not {date!r}.") from exc
        with translation.override("vi"):
            if format == "xlsx":
                if not out:
                    raise CommandError("--format xlsx needs --out FILE.xlsx")
                out.write_bytes(report_xlsx(found, year, today))
                self.stdout.write(self.style.SUCCESS(f"Report written to {out}"))
                return
            text = json.dumps(report_data(found, year, today), ensure_ascii=False, indent=2)
        if out:
            out.write_text(text, encoding="utf-8")
            self.stdout.write(self.style.SUCCESS(f"Report written to {out}"))
        else:
            self.stdout.write(text)
