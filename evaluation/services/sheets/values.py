"""Values as sheet files hold them: text, numbers and yes/no read leniently, numbers written plainly."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format

from .tree import Raw

_YES = {"true", "yes", "y", "x", "1", "có", "co", "đúng", "dung"}
_NO = {"false", "no", "n", "0", "không", "khong", "sai"}


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def as_text(value) -> str:
    """Text of a cell or scalar: codes typed as numbers ("1.1" read as 1.1) come back as written."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def as_decimal(value) -> Decimal | Raw | None:
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return Raw(value)
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        return Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        text = str(value).strip()
        if "," in text and "." not in text:  # Vietnamese decimal comma: "2,5"
            text = text.replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            return Raw(value)
    return number if number.is_finite() else Raw(value)


def as_integer(value) -> int | Raw | None:
    number = as_decimal(value)
    if number is None or isinstance(number, Raw):
        return number
    return int(number) if number == number.to_integral_value() else Raw(value)


def as_boolean(value) -> bool | Raw:
    if is_blank(value):
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    return Raw(value)


def plain_number(number: Decimal) -> Decimal:
    """40.00 → 40, 2.50 → 2.5 (never 4E+1)."""
    try:
        return number.quantize(Decimal(1)) if number == number.to_integral_value() else number.normalize()
    except InvalidOperation:  # beyond the context's precision: shown as given
        return number


def shown(number: Decimal) -> str:
    return number_format(plain_number(number), force_grouping=True)


def native(number: Decimal | None) -> int | float | None:
    """A number as YAML and Excel write it: 3, not 3.00; 2.5 as a float."""
    if number is None:
        return None
    plain = plain_number(number)
    return int(plain) if plain == plain.to_integral_value() else float(plain)
