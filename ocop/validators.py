"""Rules on typed values that every app shares: numbers that fit the database column, no control character
in an address, record keys read from an address without error."""
import re

from django.core.validators import MaxValueValidator

# The columns' upper bounds on PostgreSQL, the production database (SQLite stores 64 bits in any integer
# column, so without these a number that PostgreSQL refuses would pass every test).
INTEGER_MAX = 2_147_483_647  # integer: IntegerField, PositiveIntegerField
SMALL_INTEGER_MAX = 32_767  # smallint: SmallIntegerField, PositiveSmallIntegerField
BIG_INTEGER_MAX = 9_223_372_036_854_775_807  # bigint: the primary keys (BigAutoField)

# A number typed into a form beyond its column: a message beside the field instead of a database error.
within_integer_column = MaxValueValidator(INTEGER_MAX)
within_small_integer_column = MaxValueValidator(SMALL_INTEGER_MAX)

# Control characters (C0 and DEL): no address, no name holds one.
CONTROL_CHARACTERS_RE = re.compile(r"[\x00-\x1f\x7f]")


def record_key(value) -> int | None:
    """A record's key given in an address or a posted button (?cycle=12): ASCII digits within the key column,
    else None. Never an error: "²" and "٣" pass str.isdigit() but int() refuses the first, and a number of
    5,000 digits or one above the column is no record."""
    if not isinstance(value, str) or not value.isascii() or not value.isdigit() or len(value) > 19:
        return None
    number = int(value)
    return number if 0 < number <= BIG_INTEGER_MAX else None
