"""Rules on typed values that every app shares: names without invisible control or direction characters,
numbers that fit the database column, parameters of an address that a view can read without error."""
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# The columns' upper bounds on PostgreSQL, the production database (SQLite stores 64 bits in any integer
# column, so without these a number that PostgreSQL refuses would pass every test).
INTEGER_MAX = 2_147_483_647  # integer: IntegerField, PositiveIntegerField
SMALL_INTEGER_MAX = 32_767  # smallint: SmallIntegerField, PositiveSmallIntegerField
BIG_INTEGER_MAX = 9_223_372_036_854_775_807  # bigint: the primary keys (BigAutoField)

# A number typed into a form beyond its column: a message beside the field instead of a database error.
within_integer_column = MaxValueValidator(INTEGER_MAX)

# Characters that change how the text around them is shown without being seen: the bidirectional embeddings,
# overrides and isolates (U+202E turns "gpj.exe" into "exe.jpg"), the direction marks, and every control
# character (C0, DEL, C1). A name holding one reads differently on a certificate, a list or a file name.
DIRECTION_CHARACTERS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
CONTROL_CHARACTERS_RE = re.compile(r"[\x00-\x1f\x7f]")
# In what people type into a search box, tab and line breaks are white space (cells pasted from Excel bring
# a tab): every other control character is still refused.
TYPED_CONTROL_CHARACTERS_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def hidden_character(value: str) -> str | None:
    """The first control or direction-changing character of `value`, or None."""
    for char in value:
        if char in DIRECTION_CHARACTERS or unicodedata.category(char) == "Cc":
            return char
    return None


@deconstructible
class NameValidator:
    """A name (of a subject, a product, an idea, a unit, a person...) holds no control character and no
    character that reverses or isolates the direction of the text."""

    message = _("Remove the invisible character %(character)s: a name cannot hold control characters or "
                "characters that change the direction of the text.")
    code = "hidden_character"

    def __call__(self, value) -> None:
        char = hidden_character(str(value))
        if char is not None:
            raise ValidationError(self.message, code=self.code, params={"character": f"U+{ord(char):04X}"})

    def __eq__(self, other):
        return isinstance(other, NameValidator)


validate_name = NameValidator()


def record_key(value) -> int | None:
    """A record's key given in an address or a posted button (?cycle=12): ASCII digits within the key column,
    else None. Never an error: "²" and "٣" pass str.isdigit() but int() refuses the first, and a number of
    5,000 digits or one above the column is no record."""
    if not isinstance(value, str) or not value.isascii() or not value.isdigit() or len(value) > 19:
        return None
    number = int(value)
    return number if 0 < number <= BIG_INTEGER_MAX else None
