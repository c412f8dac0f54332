"""The programme report of a unit: the summary figures and the register of OCOP products, as JSON or as an
Excel workbook laid out like the tables a district or province sends upward."""
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from evaluation.star_rules import RECOGNISED_STARS
from ocop.downloads import workbook_bytes
from ocop.selectors import unit_successor
from ocop.text import fold

from .selectors.dashboard import Summary, product_register, programme_summary, register_commune

THIN = Side(style="thin", color="888888")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def register_rows(summary: Summary) -> list[dict]:
    """The register's rows, each product under the commune (and district) of the report's day, in their order."""
    rows = []
    for c in product_register(summary.units, summary.today):
        commune, district = register_commune(summary.units, c.product.commune)
        rows.append({
            "product": c.product.name, "product_set": c.product.product_set.name, "subject": c.subject.name,
            "subject_kind": c.subject.get_kind_display(), "commune": commune, "district": district, "star": c.star,
            "certificate_number": c.number, "issued_on": c.issued_on, "valid_until": c.valid_until,
            "criteria_version": c.regulation.code if c.regulation_id else "",
        })
    # The query orders by subject and product; a former commune's products join those of the commune of the day.
    rows.sort(key=lambda row: (fold(row["district"]), fold(row["commune"])))
    return rows


def including_text(summary: Summary) -> str:
    """The line saying which former units a report's figures include ("Tỉnh Bắc Kạn (to 30/06/2025)")."""
    units = ", ".join(_("%(unit)s (to %(date)s)") % {"unit": u, "date": u.valid_to.strftime("%d/%m/%Y")}
                      if u.valid_to else str(u) for u in summary.units.predecessors)
    return _("Including the figures of the units merged into it: %(units)s.") % {"units": units}


def ended_text(summary: Summary) -> str:
    """For a unit that had ended by the report's day: when, into which unit, and that its figures are those of
    its last day ("" for a unit that stands)."""
    unit = summary.unit
    if unit.valid_to is None or summary.today <= unit.valid_to:
        return ""
    values = {"unit": unit, "date": unit.valid_to.strftime("%d/%m/%Y")}
    successor = unit_successor(unit, on=summary.today)
    if successor is not None:
        return _("%(unit)s ended on %(date)s and was merged into %(successor)s: these are its figures as it stood "
                 "on its last day; its products count since in %(successor)s's.") % {**values, "successor": successor}
    return _("%(unit)s ended on %(date)s: these are its figures as it stood on its last day.") % values


def report_data(unit, year=None, today=None) -> dict:
    summary = programme_summary(unit, year, today)
    data = summary.as_dict()
    data["register"] = [{**row, "issued_on": row["issued_on"].isoformat(),
                         "valid_until": row["valid_until"].isoformat()} for row in register_rows(summary)]
    return data


def _table(sheet, row: int, title: str, headers: list[str], lines: list[list]) -> int:
    sheet.cell(row=row, column=1, value=title).font = Font(bold=True)
    row += 1
    for col, header in enumerate(headers, start=1):
        cell = sheet.cell(row=row, column=col, value=header)
        cell.font, cell.border = Font(bold=True), BOX
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for line in lines:
        row += 1
        for col, value in enumerate(line, start=1):
            sheet.cell(row=row, column=col, value=value).border = BOX
    return row + 2


def report_xlsx(unit, year=None, today=None) -> bytes:
    summary = programme_summary(unit, year, today)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Summary")[:31]
    sheet["A1"] = _("REPORT ON THE OCOP PROGRAMME")
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = _("%(unit)s, year %(year)s, figures on %(date)s") % {
        "unit": unit.name, "year": summary.year, "date": summary.today.strftime("%d/%m/%Y")}
    if summary.units.predecessors:
        sheet["A3"] = including_text(summary)
    row = 4
    stars = [[_("%(star)s stars") % {"star": s}, summary.by_star.get(s, 0)] for s in RECOGNISED_STARS]
    stars.append([_("Total"), summary.products])
    row = _table(sheet, row, _("I. OCOP products by star"), [_("Star"), _("Products")], stars)
    kinds = [[k["label"], k["subjects"], k["products"]] for k in summary.by_kind]
    kinds.append([_("Total"), summary.subjects, summary.products])
    row = _table(sheet, row, _("II. Subjects holding OCOP products"), [_("Kind of subject"), _("Subjects"),
                                                                      _("Products")], kinds)
    row = _table(sheet, row, _("III. OCOP products by sector"), [_("Sector"), _("Products")],
                 [[s["sector"], s["products"]] for s in summary.by_sector])
    row = _table(sheet, row, _("IV. Communes"), [_("Indicator"), _("Number")], [
        [_("Communes with an OCOP product"), summary.communes_with_product],
        [_("Communes in the unit"), summary.communes],
        [_("New products this year"), summary.new_this_year],
        [_("Re-recognised this year"), summary.re_recognised],
        [_("Upgraded this year"), summary.upgraded],
        [_("Certificates ending in the next 6 months"), summary.expiring_6_months]])
    row = _table(sheet, row, _("V. Targets of the year"),
                 [_("Indicator"), pgettext("target", "Planned"), _("Achieved"), _("Share of plan (%)")],
                 [[str(t.label), t.planned, t.actual, t.percent] for t in summary.targets])
    row = _table(sheet, row, _("VI. OCOP products by commune"), [_("Commune"), _("Products")],
                 [[c["name"] or _("Former communes with no successor recorded"), c["products"]]
                  for c in summary.by_commune])
    verdicts = [[row["label"], row["inspections"]] for row in summary.inspections_by_verdict]
    _table(sheet, row, _("VII. Inspections after recognition in the year"), [_("Verdict"), _("Inspections")],
           [*verdicts, [_("Total"), summary.inspections]])
    for col, width in zip("ABCD", (48, 14, 14, 12), strict=True):
        sheet.column_dimensions[col].width = width

    register = book.create_sheet(_("OCOP products")[:31])
    headers = [_("No."), _("Product"), _("Product set"), _("Subject"), _("Kind of subject"), _("Commune"),
               _("District"), _("Star"), _("Certificate number"), _("Issued on"), _("Valid until"),
               _("Criteria version")]
    register.append(headers)
    for cell in register[1]:
        cell.font, cell.border = Font(bold=True), BOX
    for number, line in enumerate(register_rows(summary), start=1):
        register.append([number, line["product"], line["product_set"], line["subject"], line["subject_kind"],
                         line["commune"], line["district"], line["star"], line["certificate_number"],
                         line["issued_on"], line["valid_until"], line["criteria_version"]])
        register.cell(row=number + 1, column=10).number_format = "DD/MM/YYYY"
        register.cell(row=number + 1, column=11).number_format = "DD/MM/YYYY"
    register.freeze_panes = "A2"
    for col, width in enumerate((6, 36, 30, 34, 20, 20, 20, 6, 18, 12, 12, 16), start=1):
        register.column_dimensions[get_column_letter(col)].width = width
    return workbook_bytes(book)  # a name typed as "=..." stays text, never a formula
