"""Export one score sheet as YAML or XLSX, in exactly the format import_criteria reads."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from evaluation.models import ScoreSheet
from evaluation.services.sheets.import_export import sheet_export_xlsx, sheet_export_yaml


class Command(BaseCommand):
    help = "Export the score sheet of a product set under a regulation to a .yaml or .xlsx file."

    def add_arguments(self, parser):
        parser.add_argument("--regulation", required=True, help="decision number, e.g. 148/QĐ-TTg")
        parser.add_argument("--product-set", required=True, type=int, help="number of the product set (1-26)")
        parser.add_argument("--format", required=True, choices=["yaml", "xlsx"], dest="fmt")
        parser.add_argument("--out", required=True,
                            help="path of the file to write ('-' for standard output, YAML only)")

    def handle(self, *args, regulation, product_set, fmt, out, **options):
        sheet = (ScoreSheet.objects.select_related("regulation", "product_set")
                 .filter(regulation__code=regulation, product_set__number=product_set).first())
        if sheet is None:
            raise CommandError(_("There is no score sheet of product set %(set)s under %(regulation)s.") % {
                "set": product_set, "regulation": regulation})
        if out == "-":
            if fmt != "yaml":
                raise CommandError(_("Only YAML can be written to standard output."))
            self.stdout.write(sheet_export_yaml(sheet), ending="")
            return
        try:
            if fmt == "yaml":
                Path(out).write_text(sheet_export_yaml(sheet), encoding="utf-8")
            else:
                Path(out).write_bytes(sheet_export_xlsx(sheet))
        except OSError as exc:
            raise CommandError(_("Cannot write %(file)s: %(problem)s") % {"file": out, "problem": exc}) from exc
        self.stdout.write(self.style.SUCCESS(_("Wrote %(file)s: %(sheet)s (%(count)s criteria).") % {
            "file": out, "sheet": sheet, "count": sheet.criteria.count()}))
