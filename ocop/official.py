"""How Vietnamese administrative documents set out their fixed parts (Decree 30/2020/NĐ-CP on clerical work,
Annex I): the issuing authority's name, the place and date line, and the signature block's titles.

The documents are Vietnamese whatever the reader's language: these return the words as printed.
"""
import datetime

from .enums import SignerTitle, UnitKind

# Annex I, II.3: the name of a People's Committee is followed by its unit's name, the kind of unit in front.
AUTHORITY_PREFIX = {
    UnitKind.PROVINCE: "TỈNH", UnitKind.CENTRAL_CITY: "THÀNH PHỐ", UnitKind.DISTRICT: "HUYỆN",
    UnitKind.URBAN_DISTRICT: "QUẬN", UnitKind.TOWN: "THỊ XÃ", UnitKind.PROVINCIAL_CITY: "THÀNH PHỐ",
    UnitKind.COMMUNE: "XÃ", UnitKind.WARD: "PHƯỜNG", UnitKind.TOWNSHIP: "THỊ TRẤN", UnitKind.SPECIAL_ZONE: "ĐẶC KHU",
}
PEOPLES_COMMITTEE = "ỦY BAN NHÂN DÂN"
MINISTRY_SEAT = "Hà Nội"
# Annex I, II.8: a deputy who signs in the head's place writes "KT." before the head's title, and a People's
# Committee, which decides as a body, "TM." before its name.
HEAD_OF = {SignerTitle.VICE_CHAIR: SignerTitle.CHAIR, SignerTitle.DEPUTY_MINISTER: SignerTitle.MINISTER}
PRINTED_TITLE = {SignerTitle.CHAIR: "CHỦ TỊCH", SignerTitle.VICE_CHAIR: "PHÓ CHỦ TỊCH",
                 SignerTitle.MINISTER: "BỘ TRƯỞNG", SignerTitle.DEPUTY_MINISTER: "THỨ TRƯỞNG"}
MINISTRY_TITLES = (SignerTitle.MINISTER, SignerTitle.DEPUTY_MINISTER)
COMMITTEE_TITLES = (SignerTitle.CHAIR, SignerTitle.VICE_CHAIR)


def authority_lines(unit, *, ministry: str = "") -> tuple[str, str]:
    """The issuing authority as its block at the top left prints it, in two lines: ("ỦY BAN NHÂN DÂN", "TỈNH THÁI
    NGUYÊN"); for the central level (no unit), the ministry's name in one ("BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "")."""
    if unit is None or unit.kind == UnitKind.MINISTRY:
        return (unit.name if unit is not None else ministry).upper(), ""
    return PEOPLES_COMMITTEE, f"{AUTHORITY_PREFIX.get(unit.kind, '')} {unit.name.upper()}".strip()


def is_committee(unit) -> bool:
    """Whether the authority is a People's Committee, which decides as a body (not the ministry)."""
    return unit is not None and unit.kind != UnitKind.MINISTRY


def parent_authority(unit, *, ministry: str = "") -> str:
    """The authority a council or office belongs to, as the first line of its heading: "UBND TỈNH THÁI NGUYÊN" (the
    abbreviation Annex I allows for the governing body's name), or the ministry's name."""
    if not is_committee(unit):
        return authority_lines(unit, ministry=ministry)[0]
    return f"UBND {authority_lines(unit)[1]}"


def place_name(unit) -> str:
    """The place a document is issued at (Annex I, II.4): the name of the unit whose committee issues it ("Thái
    Nguyên", "Bạch Thông"); Hà Nội for the ministry."""
    return unit.name if is_committee(unit) else MINISTRY_SEAT


def document_date(day: datetime.date) -> str:
    """"ngày 06 tháng 12 năm 2026" (Annex I, II.4: a day below 10 and the months 1 and 2 take a leading 0)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def place_and_date(unit, day: datetime.date) -> str:
    """"Thái Nguyên, ngày 06 tháng 12 năm 2026": the line under the national motto, printed in italics."""
    return f"{place_name(unit)}, {document_date(day)}"


def signature_titles(title: str, *, collective: bool) -> list[str]:
    """The lines above the signature (Annex I, II.8): for a People's Committee's vice-chair
    ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]; for a deputy minister ["KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"].
    `collective`: the authority decides as a body (a People's Committee, `is_committee`), so its name comes first."""
    lines = [f"TM. {PEOPLES_COMMITTEE}"] if collective else []
    head = HEAD_OF.get(title)
    if head is not None:
        lines.append(f"KT. {PRINTED_TITLE[head]}")
    lines.append(PRINTED_TITLE[title])
    return lines
