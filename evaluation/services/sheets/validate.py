"""Every inconsistency of a sheet tree, each with its place in the file."""
from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from products.models import ProductSet

from ...models import Regulation
from .tree import CriterionData, Raw, SheetData, SheetError
from .values import plain_number, shown

SHEET_TOTAL = Decimal(100)
MIN_OPTIONS = 2
STAR_RANGE = range(1, 6)
# Field limits of the models (evaluation/models.py), checked before writing so a long text is a located
# error rather than a database failure.
MAX_POINTS = Decimal("9999.99")
POINT_DECIMALS = 2
LIMITS = {"sheet_title": 500, "part_code": 10, "part_title": 500, "section_code": 10, "section_title": 500,
          "criterion_code": 20, "criterion_title": 1000, "option_label": 1000, "regulation": 50}


def _check_points(value, where: str, what: str, errors: list[SheetError], *, positive: bool) -> Decimal | None:
    """The number when it is usable, else None after recording why (what: the value's name)."""
    if value is None:
        errors.append(SheetError(where, _("%(what)s is missing") % {"what": what}))
        return None
    if isinstance(value, Raw):
        errors.append(SheetError(where, _("%(what)s “%(value)s” is not a number") % {"what": what, "value": value}))
        return None
    if value < 0:
        errors.append(SheetError(where, _("%(what)s %(value)s is negative") % {"what": what, "value": shown(value)}))
        return None
    if positive and value == 0:
        errors.append(SheetError(where, _("%(what)s must be above 0") % {"what": what}))
        return None
    if value > MAX_POINTS or plain_number(value).as_tuple().exponent < -POINT_DECIMALS:
        errors.append(SheetError(where, _("%(what)s %(value)s must be at most %(limit)s with at most two decimals") % {
            "what": what, "value": shown(value), "limit": shown(MAX_POINTS)}))
        return None
    return value


def _check_text(value: str, where: str, what: str, limit: int, errors: list[SheetError]) -> None:
    if not value:
        errors.append(SheetError(where, _("%(what)s is missing") % {"what": what}))
    elif len(value) > limit:
        errors.append(SheetError(where, _("%(what)s is longer than %(limit)s characters") % {
            "what": what, "limit": limit}))


def sheet_structure_errors(data: SheetData) -> list[SheetError]:
    """Every inconsistency of the tree itself (no database needed): missing or repeated codes, options,
    points out of range, maxima that do not add up."""
    errors: list[SheetError] = []
    if not data.regulation:
        errors.append(SheetError(data.where("regulation"), _("the regulation (decision number) is missing")))
    elif len(data.regulation) > LIMITS["regulation"]:
        errors.append(SheetError(data.where("regulation"), _("the regulation code is too long")))
    if data.product_set is None:
        errors.append(SheetError(data.where("product_set"), _("the product set number is missing")))
    elif isinstance(data.product_set, Raw):
        errors.append(SheetError(data.where("product_set"), _("the product set “%(value)s” is not a whole number") % {
            "value": data.product_set}))
    _check_text(data.title, data.where("title"), _("the title"), LIMITS["sheet_title"], errors)
    if isinstance(data.demonstration, Raw):
        errors.append(SheetError(data.where("demonstration"), _("“%(value)s” is not yes or no (true/false)") % {
            "value": data.demonstration}))
    if not data.parts:
        errors.append(SheetError(data.where("parts"), _("the sheet has no parts")))
        return errors

    part_codes: dict[str, str] = {}
    criterion_codes: dict[str, str] = {}
    part_maxima: list[Decimal] = []
    all_parts_numeric = True
    for part in data.parts:
        where = part.location
        if part.code and part.code in part_codes:
            errors.append(SheetError(where, _("the part code %(code)s is repeated (first at %(place)s)") % {
                "code": part.code, "place": part_codes[part.code]}))
        elif part.code:
            part_codes[part.code] = where
        _check_text(part.code, where, _("the part code"), LIMITS["part_code"], errors)
        _check_text(part.title, where, _("the part title"), LIMITS["part_title"], errors)
        part_max = _check_points(part.max_points, where, _("the part maximum"), errors, positive=True)
        if part_max is None:
            all_parts_numeric = False
        else:
            part_maxima.append(part_max)
        if not part.sections:
            errors.append(SheetError(where, _("the part has no sections")))
        criteria_sum, all_criteria_numeric, criteria_count = Decimal(0), True, 0
        section_codes: dict[str, str] = {}
        for section in part.sections:
            s_where = section.location
            if section.code and section.code in section_codes:
                errors.append(SheetError(s_where, _("the section code %(code)s is repeated (first at %(place)s)") % {
                    "code": section.code, "place": section_codes[section.code]}))
            elif section.code:
                section_codes[section.code] = s_where
            _check_text(section.code, s_where, _("the section code"), LIMITS["section_code"], errors)
            _check_text(section.title, s_where, _("the section title"), LIMITS["section_title"], errors)
            if not section.criteria:
                errors.append(SheetError(s_where, _("the section has no criteria")))
            for criterion in section.criteria:
                criteria_count += 1
                criterion_max = _criterion_errors(criterion, criterion_codes, errors)
                if criterion_max is None:
                    all_criteria_numeric = False
                else:
                    criteria_sum += criterion_max
        if part_max is not None and all_criteria_numeric and criteria_count and criteria_sum != part_max:
            errors.append(SheetError(where, _("the criteria of part %(code)s add up to %(sum)s, not to the part "
                                              "maximum %(max)s") % {
                "code": part.code, "sum": shown(criteria_sum), "max": shown(part_max)}))
    if all_parts_numeric and sum(part_maxima) != SHEET_TOTAL:
        errors.append(SheetError(data.where("parts"), _("the parts add up to %(sum)s, not to %(total)s") % {
            "sum": shown(sum(part_maxima)), "total": shown(SHEET_TOTAL)}))
    return errors


def _criterion_errors(criterion: CriterionData, codes: dict[str, str], errors: list[SheetError]) -> Decimal | None:
    """Record the criterion's problems; return its maximum when usable."""
    where = criterion.location
    if criterion.code and criterion.code in codes:
        errors.append(SheetError(where, _("the criterion code %(code)s is repeated (first at %(place)s)") % {
            "code": criterion.code, "place": codes[criterion.code]}))
    elif criterion.code:
        codes[criterion.code] = where
    _check_text(criterion.code, where, _("the criterion code"), LIMITS["criterion_code"], errors)
    _check_text(criterion.title, where, _("the criterion title"), LIMITS["criterion_title"], errors)
    criterion_max = _check_points(criterion.max_points, where, _("the criterion maximum"), errors, positive=True)
    star = criterion.required_for_star
    if star is not None and (isinstance(star, Raw) or star not in STAR_RANGE):
        message = _("“mandatory from star” must be a whole number from 1 to 5, not “%(value)s”") % {"value": star}
        errors.append(SheetError(where, message))
    if isinstance(criterion.assessed_by_commune, Raw):
        errors.append(SheetError(where, _("“%(value)s” is not yes or no (true/false)") % {
            "value": criterion.assessed_by_commune}))
    if not criterion.options:
        errors.append(SheetError(where, _("the criterion has no options")))
    elif len(criterion.options) < MIN_OPTIONS:
        errors.append(SheetError(where, _("the criterion has only one option; it needs at least %(count)s") % {
            "count": MIN_OPTIONS}))

    labels: dict[str, str] = {}
    best, check_best = None, True
    for option in criterion.options:
        o_where = option.location
        _check_text(option.label, o_where, _("the answer"), LIMITS["option_label"], errors)
        if option.label and option.label in labels:
            errors.append(SheetError(o_where, _("the answer is repeated (first at %(place)s)") % {
                "place": labels[option.label]}))
        elif option.label:
            labels[option.label] = o_where
        points = _check_points(option.points, o_where, _("the points"), errors, positive=False)
        if isinstance(option.knocks_out, Raw):
            errors.append(SheetError(o_where, _("“%(value)s” is not yes or no (true/false)") % {
                "value": option.knocks_out}))
        if points is None:
            check_best = False
            continue
        if criterion_max is not None and points > criterion_max:
            check_best = False  # the best-answer check would only repeat this
            errors.append(SheetError(o_where, _("%(points)s points is above the criterion maximum %(max)s") % {
                "points": shown(points), "max": shown(criterion_max)}))
        if option.knocks_out is True and points != 0:
            errors.append(SheetError(o_where, _("a knock-out answer must be worth 0 points, not %(points)s") % {
                "points": shown(points)}))
        best = points if best is None else max(best, points)
    if criterion_max is not None and check_best and best is not None and best != criterion_max:
        errors.append(SheetError(where, _("the best answer is worth %(best)s, not the criterion maximum %(max)s") % {
            "best": shown(best), "max": shown(criterion_max)}))
    return criterion_max


def sheet_validate(data: SheetData) -> list[SheetError]:
    """Every inconsistency of a sheet, each with its location: unknown regulation or product set, then
    the tree's own problems in the order of the file."""
    errors: list[SheetError] = []
    if data.regulation and not Regulation.objects.filter(code=data.regulation).exists():
        known = ", ".join(Regulation.objects.order_by("effective_from").values_list("code", flat=True))
        errors.append(SheetError(data.where("regulation"), _("unknown regulation “%(code)s” (known: %(known)s)") % {
            "code": data.regulation, "known": known}))
    if isinstance(data.product_set, int) and not ProductSet.objects.filter(number=data.product_set).exists():
        errors.append(SheetError(data.where("product_set"), _("unknown product set %(number)s (the sets are "
                                                               "numbered 1 to 26)") % {"number": data.product_set}))
    return errors + sheet_structure_errors(data)
