"""The plain tree every sheet format reads into, remembering where each node came from."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Raw:
    """A value the file held where another type was expected (reported by `sheet_validate`)."""

    value: object

    def __str__(self):
        return str(self.value)


@dataclass
class OptionData:
    label: str
    points: Decimal | Raw | None
    knocks_out: bool | Raw = False
    location: str = field(default="", compare=False)


@dataclass
class CriterionData:
    code: str
    title: str
    max_points: Decimal | Raw | None
    required_for_star: int | Raw | None = None
    options: list[OptionData] = field(default_factory=list)
    assessed_by_commune: bool | Raw = False
    location: str = field(default="", compare=False)


@dataclass
class SectionData:
    code: str
    title: str
    criteria: list[CriterionData] = field(default_factory=list)
    location: str = field(default="", compare=False)


@dataclass
class PartData:
    code: str
    title: str
    max_points: Decimal | Raw | None
    sections: list[SectionData] = field(default_factory=list)
    location: str = field(default="", compare=False)


@dataclass
class SheetData:
    regulation: str = ""
    product_set: int | Raw | None = None
    title: str = ""
    demonstration: bool | Raw = False
    parts: list[PartData] = field(default_factory=list)
    # Where each top-level key was read ("regulation", "parts"...), for locating errors.
    locations: dict[str, str] = field(default_factory=dict, compare=False)

    def criteria(self) -> Iterator[CriterionData]:
        for part in self.parts:
            for section in part.sections:
                yield from section.criteria

    def where(self, key: str) -> str:
        return self.locations.get(key, key)


@dataclass(frozen=True)
class SheetError:
    """One problem of a sheet file and where it is."""

    location: str
    message: str
    # The file could not be read far enough for its content to be checked (syntax, missing worksheet...).
    fatal: bool = False

    def __str__(self):
        if not self.location:
            return self.message
        return _("%(location)s: %(message)s") % {"location": self.location, "message": self.message}
