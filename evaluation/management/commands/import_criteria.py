"""Import one score sheet from a YAML or XLSX file (format: evaluation/SHEET_FORMAT.md), all or nothing."""
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from evaluation.services.sheets.import_export import sheet_import, sheet_import_blockers, sheet_read


class Command(BaseCommand):
    help = ("Import a score sheet from a .yaml/.yml or .xlsx file (see evaluation/SHEET_FORMAT.md). Every error "
            "is printed with its location and nothing is imported when there is one.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the sheet file (.yaml, .yml or .xlsx)")
        parser.add_argument("--replace", action="store_true",
                            help="rebuild the existing sheet of the same regulation and product set "
                                 "(refused when evaluations already use it)")

    def handle(self, *args, file, replace=False, **options):
        path = Path(file)
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(_("Cannot read %(file)s: %(problem)s") % {"file": file, "problem": exc}) from exc
        data, errors = sheet_read(content=content, filename=path.name)
        messages = [str(error) for error in errors]
        if not messages:
            messages = sheet_import_blockers(data=data, replace=replace)
        if not messages:
            try:
                sheet = sheet_import(data=data, by=None, replace=replace)
            except ValidationError as exc:
                messages = exc.messages
        if messages:
            for message in messages:
                self.stderr.write(message)
            raise CommandError(_("%(count)s error(s); nothing was imported.") % {"count": len(messages)})
        criteria = list(data.criteria())
        summary = _(
            "Imported the score sheet of product set %(set)s under %(regulation)s: %(parts)s parts, %(criteria)s "
            "criteria, %(options)s options, %(mandatory)s mandatory criteria, %(knockouts)s knock-out answers%(demo)s.")
        self.stdout.write(self.style.SUCCESS(summary % {
            "set": sheet.product_set, "regulation": sheet.regulation, "parts": len(data.parts),
            "criteria": len(criteria), "options": sum(len(c.options) for c in criteria),
            "mandatory": sum(1 for c in criteria if c.required_for_star),
            "knockouts": sum(1 for c in criteria for o in c.options if o.knocks_out),
            "demo": _(" (demonstration content)") if sheet.is_demonstration else ""}))
