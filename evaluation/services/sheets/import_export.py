"""Reading an uploaded sheet file, importing a sheet all or nothing, and exporting a stored one."""
from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ocop.enums import AuditAction
from ocop.services import audit_log, model_changes, model_snapshot
from products.models import ProductSet

from ...models import Criterion, CriterionOption, Regulation, ScoreSheet, SheetPart, SheetSection
from ...selectors.sheets import sheet_tree
from .tree import CriterionData, OptionData, PartData, SectionData, SheetData, SheetError
from .validate import sheet_validate
from .xlsx import sheet_data_xlsx, sheet_parse_xlsx
from .yaml import sheet_data_yaml, sheet_parse_yaml

# ---------------------------------------------------------------------------------------------
# Import
# ---------------------------------------------------------------------------------------------


def sheet_read(*, content: bytes, filename: str) -> tuple[SheetData, list[SheetError]]:
    """Read and validate a sheet file, its format told by the extension (.yaml, .yml or .xlsx): the errors of
    form, then (unless the file could not be read at all) every inconsistency of its content."""
    name = filename.lower()
    if name.endswith((".yaml", ".yml")):
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            return SheetData(), [SheetError("", _("the file is not UTF-8 text"), fatal=True)]
        data, errors = sheet_parse_yaml(text)
    elif name.endswith(".xlsx"):
        data, errors = sheet_parse_xlsx(io.BytesIO(content))
    else:
        return SheetData(), [SheetError("", _("unknown file format: use .yaml, .yml or .xlsx"), fatal=True)]
    if any(error.fatal for error in errors):
        return data, errors
    return data, errors + sheet_validate(data)


def existing_sheet(data: SheetData) -> ScoreSheet | None:
    return (ScoreSheet.objects.select_related("regulation", "product_set")
            .filter(regulation__code=data.regulation, product_set__number=data.product_set).first())


def sheet_import_blockers(*, data: SheetData, replace: bool) -> list[str]:
    """Why a valid sheet could not be imported now: a sheet for the same regulation and product set exists
    and `replace` is not set, or that sheet is already used by evaluations."""
    sheet = existing_sheet(data)
    if sheet is None:
        return []
    names = {"set": sheet.product_set.number, "regulation": sheet.regulation.code}
    used = sheet.evaluations.count()
    if used:
        return [_("The score sheet of product set %(set)s under %(regulation)s is used by %(count)s evaluation(s) "
                  "and cannot be replaced: an evaluation stays with the sheet it started under. Import the new "
                  "version under its own regulation.") % {**names, "count": used}]
    if not replace:
        return [_("A score sheet of product set %(set)s under %(regulation)s already exists. Choose “replace” "
                  "to import it again.") % names]
    return []


def sheet_import(*, data: SheetData, by, replace: bool = False) -> ScoreSheet:
    """Create the score sheet `data` describes, or with `replace` rebuild the existing one, all or nothing.

    Raises ValidationError listing every problem (with its location) when the data is inconsistent, when a
    sheet of the same regulation and product set exists and `replace` is False, or when that sheet is used
    by evaluations (an evaluation stays frozen to its sheet; a new version gets its own regulation).
    Side effects: creates the sheet with its parts, sections, criteria and options (on replace, deletes the
    old tree and keeps the sheet's id); writes one audit entry.
    """
    errors = sheet_validate(data)
    if errors:
        raise ValidationError([str(error) for error in errors])
    try:
        with transaction.atomic():
            regulation = Regulation.objects.get(code=data.regulation)
            product_set = ProductSet.objects.get(number=data.product_set)
            sheet = (ScoreSheet.objects.select_for_update()
                     .filter(regulation=regulation, product_set=product_set).first())
            blockers = sheet_import_blockers(data=data, replace=replace)
            if blockers:
                raise ValidationError(blockers)
            old_count, before = None, {}
            if sheet is None:
                sheet = ScoreSheet(regulation=regulation, product_set=product_set)
            else:
                old_count = sheet.criteria.count()
                before = model_snapshot(sheet, SHEET_FIELDS)
                sheet.parts.all().delete()  # cascades to sections, criteria and options
            sheet.title = data.title
            sheet.is_demonstration = bool(data.demonstration)
            sheet.full_clean()
            sheet.save()
            count = _build_tree(sheet, data)
            if old_count is None:
                message = _("Imported: %(count)s criteria") % {"count": count}
                changes = {}
            else:
                message = _("Replaced by import: %(count)s criteria (before: %(old)s)") % {
                    "count": count, "old": old_count}
                changes = model_changes(before, sheet, SHEET_FIELDS)
            audit_log(actor=by, obj=sheet, action=AuditAction.IMPORT, message=message, changes=changes)
    except IntegrityError as exc:
        raise ValidationError(_("The score sheet could not be saved because another import changed it at the "
                                "same time; try again.")) from exc
    return sheet


SHEET_FIELDS = ["title", "is_demonstration"]
_NO_FK = {"validate_unique": False, "validate_constraints": False}


def _build_tree(sheet: ScoreSheet, data: SheetData) -> int:
    """Write the parts, sections, criteria and options in four inserts; returns the number of criteria."""
    parts = [SheetPart(sheet=sheet, code=p.code, title=p.title, max_points=p.max_points, position=i)
             for i, p in enumerate(data.parts)]
    for part in parts:
        part.full_clean(exclude=["sheet"], **_NO_FK)
    SheetPart.objects.bulk_create(parts)
    sections, section_rows = [], []
    for part, part_data in zip(parts, data.parts, strict=True):
        for i, section_data in enumerate(part_data.sections):
            section = SheetSection(part=part, code=section_data.code, title=section_data.title, position=i)
            section.full_clean(exclude=["part"], **_NO_FK)
            sections.append(section)
            section_rows.append((part, section_data))
    SheetSection.objects.bulk_create(sections)
    criteria, criterion_rows = [], []
    for section, (part, section_data) in zip(sections, section_rows, strict=True):
        for criterion_data in section_data.criteria:
            criterion = Criterion(
                section=section, sheet=sheet, part=part, code=criterion_data.code, title=criterion_data.title,
                max_points=criterion_data.max_points, required_for_star=criterion_data.required_for_star,
                assessed_by_commune=criterion_data.assessed_by_commune is True, position=len(criteria))
            criterion.full_clean(exclude=["section", "sheet", "part"], **_NO_FK)
            criteria.append(criterion)
            criterion_rows.append(criterion_data)
    Criterion.objects.bulk_create(criteria)
    options = []
    for criterion, criterion_data in zip(criteria, criterion_rows, strict=True):
        for i, option_data in enumerate(criterion_data.options):
            option = CriterionOption(criterion=criterion, label=option_data.label, points=option_data.points,
                                     knocks_out=bool(option_data.knocks_out), position=i)
            option.full_clean(exclude=["criterion"], **_NO_FK)
            options.append(option)
    CriterionOption.objects.bulk_create(options)
    return len(criteria)


# ---------------------------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------------------------


def sheet_data_from_db(sheet: ScoreSheet) -> SheetData:
    """The tree of a stored sheet, as the file formats hold it."""
    parts = []
    for part in sheet_tree(sheet=sheet):
        sections = []
        for section in part.sections.all():
            criteria = [
                CriterionData(code=c.code, title=c.title, max_points=c.max_points,
                              required_for_star=c.required_for_star, assessed_by_commune=c.assessed_by_commune,
                              options=[OptionData(label=o.label, points=o.points, knocks_out=o.knocks_out)
                                       for o in c.options.all()])
                for c in section.criteria.all()
            ]
            sections.append(SectionData(code=section.code, title=section.title, criteria=criteria))
        parts.append(PartData(code=part.code, title=part.title, max_points=part.max_points, sections=sections))
    return SheetData(regulation=sheet.regulation.code, product_set=sheet.product_set.number, title=sheet.title,
                     demonstration=sheet.is_demonstration, parts=parts)


def sheet_export_yaml(sheet: ScoreSheet) -> str:
    """The sheet as YAML, exactly the format `import_criteria` reads."""
    return sheet_data_yaml(sheet_data_from_db(sheet))


def sheet_export_xlsx(sheet: ScoreSheet) -> bytes:
    """The sheet as an .xlsx workbook, exactly the format `import_criteria` reads."""
    return sheet_data_xlsx(sheet_data_from_db(sheet))


def sheet_filename(sheet: ScoreSheet, extension: str) -> str:
    """phieu-148-qd-ttg-bo-03.yaml: ASCII, safe in a Content-Disposition header."""
    from ocop.text import fold

    slug = "".join(ch if ch.isalnum() else "-" for ch in fold(sheet.regulation.code)).strip("-")
    while "--" in slug:
        slug = slug.replace("--", "-")
    return f"phieu-{slug}-bo-{sheet.product_set.number:02d}.{extension}"
