"""The data shipped with the app: part maxima of every regulation and product set, demonstration sheets."""
from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

from .import_export import existing_sheet, sheet_data_from_db, sheet_import
from .validate import sheet_validate
from .yaml import sheet_parse_yaml

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
DEMO_SHEETS_DIR = DATA_DIR / "sheets"
PART_MAXIMA_CSV = DATA_DIR / "part_maxima.csv"


def part_maxima() -> dict[tuple[str, int], list[tuple[str, str, Decimal]]]:
    """{(regulation code, product set number): [(part code, part title, maximum), ...]} from part_maxima.csv."""
    table: dict[tuple[str, int], list[tuple[str, str, Decimal]]] = {}
    with PART_MAXIMA_CSV.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            key = (row["regulation"], int(row["product_set"]))
            table.setdefault(key, []).append((row["part"], row["title"], Decimal(row["max"])))
    return table


def demo_sheet_files() -> list[Path]:
    return sorted(DEMO_SHEETS_DIR.rglob("*.yaml"))


def demo_sheets_load(log) -> None:
    """Import the shipped demonstration sheets, idempotently.

    A missing sheet is created; a demonstration sheet that differs from its file and is not in use is
    rebuilt; an official sheet (imported by an administrator) or a sheet in use is left alone.
    """
    created = updated = unchanged = kept = 0
    for path in demo_sheet_files():
        data, errors = sheet_parse_yaml(path.read_text(encoding="utf-8"))
        errors = errors or sheet_validate(data)
        if errors:
            raise RuntimeError(f"{path.name}: " + "; ".join(str(e) for e in errors))
        sheet = existing_sheet(data)
        if sheet is None:
            sheet_import(data=data, by=None)
            created += 1
        elif sheet_data_from_db(sheet) == data:
            unchanged += 1
        elif sheet.is_demonstration and not sheet.evaluations.exists():
            sheet_import(data=data, by=None, replace=True)
            updated += 1
        else:
            kept += 1
    log(f"score sheets: {created} created, {updated} updated, {unchanged} unchanged, {kept} kept as they are")
