"""Import a province's existing Excel register of OCOP products: subjects, products and certificates.

One sheet, a header row, one row per certificate. Columns (Vietnamese headers as officials write them, or the
English keys; order free, extra columns ignored):

    product        Tên sản phẩm          required
    product_set    Bộ sản phẩm           required, the set's number 1-26
    subject        Chủ thể               required
    kind           Loại hình             required: Hợp tác xã, Tổ hợp tác, Doanh nghiệp, Hộ kinh doanh (or the keys)
    tax_code       Mã số thuế            10 digits, or 10-3 for a branch; empty for a cooperative group
    representative Người đại diện        required
    commune        Mã xã                 required, the commune's code
    star           Hạng sao              required, 3 to 5
    number         Số giấy chứng nhận    required, unique for the issuing authority
    decision       Số quyết định         required
    decision_date  Ngày quyết định       required, dd/mm/yyyy (or an Excel date)
    issued_on      Ngày cấp              dd/mm/yyyy; the decision's date when empty
    authority      Cơ quan cấp           the issuing unit's code (province or district), or TW for the ministry
                                         (OCOP_CENTRAL_AUTHORITY_CODE), which alone recognises 5★
    signer         Người ký              optional ("UBND <authority>" when empty)
    regulation     Bộ tiêu chí           optional: the criteria version's decision, e.g. 1048/QĐ-TTg
                                         (the one in force on the issue date when empty)

Rows may come in any order and the file may be imported again: who supersedes whom is derived from the issue
dates (services.certificate_chain_rebuild), and a row already recorded exactly as written (same authority,
number, product, star and dates) is reported as already recorded and left as it is. A number the authority
already used for another certificate is refused with its row.

Every row must lie in the actor's area: its commune, and its issuing authority unless it is the ministry (TW);
a subject is matched by its tax code (refused when that subject lies outside the area), else by its name in the
commune; a product by its name for that subject; otherwise they are created. A dry run does all the work
inside a transaction and rolls it back, so what it reports is exactly what the import will do. Any refused
row refuses the whole file.

The workbook is read within bounds (ocop/workbooks.py): at most MAX_LINES lines, only the register's columns,
whatever size the sheet declares; a file over a bound is refused whole, with the reason.
"""
import datetime
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from evaluation.enums import EvaluationLevel
from evaluation.models import Regulation
from evaluation.star_rules import RECOGNISED_STARS
from ocop.enums import UnitLevel
from ocop.models import AdministrativeUnit
from ocop.rules import has_area, unit_within_scope
from ocop.selectors import province_of, units_in_scope
from ocop.text import fold
from ocop.workbooks import MAX_COLUMNS, workbook_open
from products.models import Product, ProductSet
from subjects.enums import SubjectKind
from subjects.models import Subject

from .models import Certificate
from .services import certificate_register

COLUMNS = {
    "product": ["tên sản phẩm", "sản phẩm"], "product_set": ["bộ sản phẩm", "nhóm sản phẩm"],
    "subject": ["chủ thể", "tên chủ thể"], "kind": ["loại hình", "loại hình chủ thể"],
    "tax_code": ["mã số thuế", "mã số doanh nghiệp"], "representative": ["người đại diện", "đại diện"],
    "commune": ["mã xã"], "star": ["hạng sao", "số sao"], "number": ["số giấy chứng nhận", "số gcn"],
    "decision": ["số quyết định"], "decision_date": ["ngày quyết định"], "issued_on": ["ngày cấp"],
    "authority": ["cơ quan cấp", "mã cơ quan cấp"], "signer": ["người ký"],
    "regulation": ["bộ tiêu chí", "quyết định bộ tiêu chí"],
}
REQUIRED = ["product", "product_set", "subject", "kind", "representative", "commune", "star", "number", "decision",
            "decision_date", "authority"]
# The header and the certificates: a province's register is a few thousand lines.
MAX_LINES = 10_000
LEVEL_OF_UNIT = {UnitLevel.PROVINCE: EvaluationLevel.PROVINCE, UnitLevel.DISTRICT: EvaluationLevel.DISTRICT,
                 UnitLevel.COMMUNE: EvaluationLevel.COMMUNE}


@dataclass
class RowResult:
    line: int
    product: str = ""
    subject_name: str = ""
    outcome: str = ""            # "imported", "unchanged" (already recorded as written) or "refused"
    subject: str = ""            # "created" / "matched"
    product_action: str = ""     # "created" / "matched"
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    rows: list[RowResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # problems of the file itself
    committed: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors and all(not r.errors for r in self.rows)

    def count(self, **match) -> int:
        return sum(1 for r in self.rows if all(getattr(r, k) == v for k, v in match.items()))


class _DryRun(Exception):
    pass


def _header_map(header: list) -> tuple[dict[str, int], list[str]]:
    positions, errors = {}, []
    names = [fold(str(h or "")) for h in header]
    for key, aliases in COLUMNS.items():
        for i, name in enumerate(names):
            if name == key or name in {fold(a) for a in aliases}:
                positions[key] = i
                break
    missing = [COLUMNS[k][0].capitalize() for k in REQUIRED if k not in positions]
    if missing:
        errors.append(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    return positions, errors


def _date(value, label: str, errors: list[str]) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.datetime.strptime(str(value).strip(), "%d/%m/%Y").date()
    except ValueError:
        errors.append(_("%(column)s “%(value)s” is not a date dd/mm/yyyy.") % {"column": label, "value": value})
        return None


def _kind(value) -> str | None:
    folded = fold(str(value or ""))
    for kind in SubjectKind:
        if folded in (kind.value, fold(str(kind.label))):
            return kind.value
    return None


def _in_scope(by, unit) -> bool:
    """The actor's area (an import from the command line, without an actor, is the operator's: everything)."""
    return by is None or unit_within_scope(by, unit)


def _regulation(value, regulations: dict, errors: list[str]):
    """The criteria version named in the "Bộ tiêu chí" column (its decision's code, accents optional)."""
    if value in (None, ""):
        return None
    folded = fold(str(value)).replace(" ", "")
    found = regulations.get(folded) or next(
        (r for code, r in regulations.items() if code.split("/")[0] == folded), None)
    if found is None:
        errors.append(_("Unknown criteria version “%(value)s”: give its decision, e.g. %(codes)s.") % {
            "value": value, "codes": ", ".join(r.code for r in regulations.values())})
    return found


def _already_recorded(existing: Certificate, *, product_name, subject_name, star, issued_on, decision_number) -> bool:
    return (fold(existing.product.name) == fold(product_name) and fold(existing.subject.name) == fold(subject_name)
            and existing.star == star and existing.issued_on == issued_on
            and existing.decision_number == decision_number)


def _row(line, cells: dict, units, sets, regulations, seen_numbers, by) -> RowResult:
    def get(key):
        value = cells.get(key)
        return value.strip() if isinstance(value, str) else value

    result = RowResult(line=line, product=str(get("product") or ""), subject_name=str(get("subject") or ""))
    errors = result.errors
    for key in REQUIRED:
        if get(key) in (None, ""):
            errors.append(_("%(column)s is empty.") % {"column": COLUMNS[key][0].capitalize()})
    if errors:
        return result
    commune = units.get(str(get("commune")))
    if commune is None or commune.level != UnitLevel.COMMUNE:
        errors.append(_("No commune has the code “%(code)s”.") % {"code": get("commune")})
    elif not _in_scope(by, commune):
        errors.append(_("Commune %(code)s (%(name)s) lies outside your area: you can record only your area's "
                        "products.") % {"code": commune.code, "name": commune.name})
    central = str(get("authority")).upper() == settings.OCOP_CENTRAL_AUTHORITY_CODE.upper()
    authority = units.get(str(get("authority")))
    if authority is None and not central:
        errors.append(_("No unit has the code “%(code)s” (issuing authority).") % {"code": get("authority")})
    elif authority is not None and not central and not _in_scope(by, authority):
        errors.append(_("The issuing authority %(code)s (%(name)s) lies outside your area: you can record only "
                        "certificates issued in your area, or the ministry's (TW).") % {
            "code": authority.code, "name": authority.name})
    kind = _kind(get("kind"))
    if kind is None:
        errors.append(_("Unknown kind of subject “%(value)s”.") % {"value": get("kind")})
    try:
        product_set = sets.get(int(get("product_set")))
    except (TypeError, ValueError):
        product_set = None
    if product_set is None:
        errors.append(_("Product set “%(value)s” is not a number from 1 to 26.") % {"value": get("product_set")})
    try:
        star = int(get("star"))
    except (TypeError, ValueError):
        star = None
    if star not in RECOGNISED_STARS:
        errors.append(_("Star “%(value)s”: a certificate is for 3, 4 or 5 stars.") % {"value": get("star")})
    decision_date = _date(get("decision_date"), _("Decision date"), errors)
    issued_on = _date(get("issued_on"), _("Issued on"), errors) or decision_date
    regulation = _regulation(get("regulation"), regulations, errors)
    number = str(get("number"))
    key = (str(get("authority")), number)
    if key in seen_numbers:
        errors.append(_("Certificate number %(number)s is repeated on line %(line)s.") % {
            "number": number, "line": seen_numbers[key]})
    seen_numbers.setdefault(key, line)
    if errors:
        return result
    recorded = (Certificate.objects.filter(issuing_unit__isnull=True) if central
                else Certificate.objects.filter(issuing_unit=authority)).filter(number__iexact=number)
    existing = recorded.select_related("product", "subject").first()
    if existing is not None:
        if _already_recorded(existing, product_name=get("product"), subject_name=get("subject"), star=star,
                             issued_on=issued_on, decision_number=str(get("decision"))):
            result.outcome = "unchanged"
            return result
        errors.append(_("Certificate number %(number)s of %(unit)s is already recorded for %(product)s "
                        "(%(star)s★, issued %(date)s).") % {
            "number": number, "unit": existing.issuing_unit.name if existing.issuing_unit else existing.authority_name,
            "product": existing.product.name, "star": existing.star, "date": existing.issued_on.strftime("%d/%m/%Y")})
        result.outcome = "refused"
        return result

    tax_code = str(get("tax_code") or "").strip()
    subject = Subject.objects.select_related("commune").filter(tax_code=tax_code).first() if tax_code else None
    if subject is not None and not _in_scope(by, subject.commune):
        # Matched only within the actor's area: another province's subject is neither shown nor touched.
        errors.append(_("Tax code %(code)s belongs to a subject outside your area.") % {"code": tax_code})
        result.outcome = "refused"
        return result
    subject = subject or Subject.objects.filter(name=get("subject"), commune=commune).first()
    try:
        with transaction.atomic():
            if subject is None:
                subject = Subject(name=get("subject"), kind=kind, tax_code=tax_code,
                                  legal_representative=get("representative"), commune=commune)
                subject.full_clean()
                subject.save()
                result.subject = "created"
            else:
                result.subject = "matched"
            product = Product.objects.filter(subject=subject, name=get("product")).first()
            if product is None:
                product = Product(subject=subject, product_set=product_set, name=get("product"), commune=commune)
                product.full_clean()
                product.save()
                result.product_action = "created"
            else:
                result.product_action = "matched"
            certificate_register(
                product=product, star=star, number=number, decision_number=str(get("decision")),
                decision_date=decision_date,
                signer=str(get("signer") or (settings.OCOP_CENTRAL_AUTHORITY_NAME if central
                                             else f"UBND {authority.name}")),
                level=EvaluationLevel.CENTRAL if central else LEVEL_OF_UNIT.get(authority.level,
                                                                                EvaluationLevel.PROVINCE),
                issued_on=issued_on, issuing_unit=None if central else authority, regulation=regulation,
                by=by, render=False)
    except ValidationError as exc:
        errors.extend(exc.messages)
    result.outcome = "refused" if errors else "imported"
    return result


def _register_lines(fileobj, errors: list[str]) -> list[tuple[int, dict]]:
    """The non-empty lines under the header of the first worksheet, each as {column key: value}; the problems of
    the header go to `errors`. Raises ValidationError when the file itself is refused (ocop.workbooks)."""
    with workbook_open(fileobj, max_lines=MAX_LINES) as book:
        if not book.worksheets:
            raise ValidationError(_("The file is not an Excel workbook (.xlsx)."))
        sheet = book.worksheets[0]
        header = next((values for _line, values in book.rows(sheet, columns=MAX_COLUMNS)), None)
        if not header:
            errors.append(_("The first sheet is empty."))
            return []
        positions, problems = _header_map(list(header))
        if problems:
            errors.extend(problems)
            return []
        keys = list(positions)
        return [(line, dict(zip(keys, values)))
                for line, values in book.rows(sheet, columns=[positions[key] for key in keys], first_line=2)
                if any(value not in (None, "") for value in values)]


def _sample_units(by) -> tuple[AdministrativeUnit | None, AdministrativeUnit | None]:
    """A commune in force today in the actor's area and the province it lies in (any, for an administrator)."""
    today = timezone.localdate()
    communes = AdministrativeUnit.objects.communes().valid_on(today).select_related("parent__parent").order_by("code")
    if by is not None and has_area(by):
        communes = communes.filter(pk__in=units_in_scope(by).values("pk"))
    commune = communes.first()
    return commune, province_of(commune)


def register_sample_xlsx(*, by=None) -> bytes:
    """A register of one certificate as `register_import` reads it: its first row the headers it looks for
    (COLUMNS' first names), then an example in the actor's area (a commune of his in force today, his province as
    the authority, a cooperative group, which needs no tax code), so that a dry run of the file passes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    today = timezone.localdate()
    commune, province = _sample_units(by)
    with translation.override("vi"):
        kind = str(SubjectKind.COOPERATIVE_GROUP.label)
    example = {
        "product": "Mật ong hoa rừng (ví dụ)", "product_set": 4, "subject": "Tổ hợp tác nuôi ong (ví dụ)", "kind": kind,
        "tax_code": "", "representative": "Nguyễn Văn An", "commune": commune.code if commune else "",
        "star": 3, "number": f"999/{today.year}/GCN-{province.code if province else ''}", "decision": "999/QĐ-UBND",
        "decision_date": today.strftime("%d/%m/%Y"), "issued_on": today.strftime("%d/%m/%Y"),
        "authority": province.code if province else "", "signer": "", "regulation": "",
    }
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "So theo doi OCOP"
    sheet.append([COLUMNS[key][0].capitalize() for key in COLUMNS])
    sheet.append([example[key] for key in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, key in enumerate(COLUMNS):
        sheet.column_dimensions[chr(ord("A") + index)].width = max(14, len(COLUMNS[key][0]) + 4)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def register_import(fileobj, *, by=None, commit: bool = False) -> ImportResult:
    """Read the register and import it (commit=True) or only report what would happen (a dry run).

    All or nothing: when any row is refused, nothing is written even with commit=True.
    """
    result = ImportResult()
    try:
        data = _register_lines(fileobj, result.errors)
    except ValidationError as exc:
        result.errors.extend(exc.messages)
        return result
    if result.errors:
        return result
    if not data:
        result.errors.append(_("The register has no rows under its header."))
        return result
    codes = {str(cells[key]) for _line, cells in data for key in ("commune", "authority") if cells[key] is not None}
    units = {u.code: u for u in AdministrativeUnit.objects.filter(code__in=codes)}
    sets = {s.number: s for s in ProductSet.objects.all()}
    regulations = {fold(r.code).replace(" ", ""): r for r in Regulation.objects.order_by("effective_from")}
    seen: dict = {}
    try:
        with transaction.atomic():
            for line, cells in data:
                result.rows.append(_row(line, cells, units, sets, regulations, seen, by))
            if not (commit and result.ok):
                raise _DryRun
    except _DryRun:
        return result
    result.committed = True
    return result
