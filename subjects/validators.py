"""Validation of tax codes (mã số thuế): 10 digits, or 10-3 for a branch."""
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

TAX_CODE_RE = re.compile(r"^\d{10}(-\d{3})?$")


def normalize_tax_code(value: str) -> str:
    """Spaces and dots removed; a 13-digit code written without its dash gets one (0101234567001 → 0101234567-001)."""
    value = re.sub(r"[\s.]", "", value or "")
    if re.fullmatch(r"\d{13}", value):
        value = f"{value[:10]}-{value[10:]}"
    return value


def validate_tax_code(value: str) -> None:
    if not TAX_CODE_RE.match(value or ""):
        raise ValidationError(
            _("A tax code has 10 digits, or 10 digits, a dash and 3 digits for a branch (e.g. 4700123456-001)."),
            code="invalid_tax_code",
        )
