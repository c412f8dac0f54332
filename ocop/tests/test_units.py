"""The administrative unit tree and its CSV import."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from ocop.enums import UnitKind, UnitLevel
from ocop.models import AdministrativeUnit, AuditEntry
from ocop.services import units_import_csv

HEADER = "code,name,kind,parent_code,valid_from,valid_to,merged_into_code\n"


def test_unit_path_follows_the_tree(demo_units):
    assert demo_units["06"].path == "06/"
    assert demo_units["063"].path == "06/063/"
    assert demo_units["01843"].path == "06/063/01843/"
    assert str(demo_units["01843"]) == "Xã Vi Hương"


def test_unit_within_returns_the_unit_and_everything_below(demo_units):
    codes = set(AdministrativeUnit.objects.within(demo_units["066"]).values_list("code", flat=True))
    assert codes == {"066", "01960", "01963", "01966", "01969", "01972", "01975"}


def test_commune_directly_under_province_is_valid(demo_units):
    commune = demo_units["19102"]
    commune.full_clean()
    assert commune.parent.code == "19"
    assert commune.level == UnitLevel.COMMUNE
    assert AdministrativeUnit.objects.within(demo_units["19"]).communes().count() == 5


def test_merged_units_point_to_their_successor(demo_units):
    assert demo_units["06"].merged_into.code == "19"
    assert set(demo_units["19102"].merged_from.values_list("code", flat=True)) == {
        "01840", "01843", "01846", "01849", "01852"}
    assert demo_units["01843"].is_valid_on(datetime.date(2025, 6, 30))
    assert not demo_units["01843"].is_valid_on(datetime.date(2025, 7, 1))


def test_unit_clean_refuses_district_under_district(demo_units):
    unit = AdministrativeUnit(code="99999", name="Sai", kind=UnitKind.DISTRICT, parent=demo_units["063"])
    with pytest.raises(ValidationError) as exc:
        unit.full_clean()
    assert exc.value.message_dict["parent"] == ["Không thể đặt huyện trực thuộc huyện."]


def test_unit_clean_refuses_commune_without_parent(db):
    unit = AdministrativeUnit(code="99998", name="Mồ côi", kind=UnitKind.COMMUNE)
    with pytest.raises(ValidationError) as exc:
        unit.full_clean()
    assert "parent" in exc.value.message_dict


def test_moving_a_district_moves_its_communes(demo_units):
    district = demo_units["063"]
    district.parent = demo_units["19"]
    district.save()
    assert AdministrativeUnit.objects.get(code="01843").path == "19/063/01843/"


def test_import_reports_every_bad_row_by_line_and_imports_nothing(db):
    text = HEADER + (
        "01,Hà Nội,province,,,,\n"            # line 2: fine
        "001,Ba Đình,urban_district,77,,,\n"  # line 3: unknown parent
        "01,Hà Nội lần hai,province,,,,\n"    # line 4: duplicate code
        "002,Hoàn Kiếm,quận huyện,01,,,\n"    # line 5: unknown kind
        "003,Tây Hồ,urban_district,01,31/02/2020,,\n"  # line 6: impossible date
        "00004,Phúc Xá,ward,,,,\n"            # line 7: commune without parent
    )
    result = units_import_csv(text=text)
    assert [e.line for e in result.errors] == [3, 4, 5, 6, 7]
    assert result.errors[0] == "Dòng 3: không tìm thấy đơn vị cấp trên 77"
    assert "01" in result.errors[1] and "dòng 2" in result.errors[1]
    assert not AdministrativeUnit.objects.exclude(kind=UnitKind.MINISTRY).exists()  # the ministries are data


def test_import_accepts_vietnamese_kinds_and_commune_under_province(db):
    text = HEADER + "19,Thái Nguyên,Tỉnh,,,,\n19102,Bạch Thông,Xã,19,01/07/2025,,\n"
    result = units_import_csv(text=text)
    assert result.ok
    assert (result.created, result.updated) == (2, 0)
    commune = AdministrativeUnit.objects.get(code="19102")
    assert (commune.kind, commune.parent.code, commune.valid_from) == ("commune", "19", datetime.date(2025, 7, 1))


def test_import_twice_changes_nothing_the_second_time(db):
    text = HEADER + "19,Thái Nguyên,province,,,,\n19102,Bạch Thông,commune,19,,,\n"
    units_import_csv(text=text)
    audit_count = AuditEntry.objects.count()
    result = units_import_csv(text=text)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert AuditEntry.objects.count() == audit_count


def test_import_units_command_fails_loudly_with_line_numbers(db, tmp_path, capsys):
    path = tmp_path / "units.csv"
    path.write_text(HEADER + "19,Thái Nguyên,province,,,,\n19102,Bạch Thông,commune,18,,,\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_units", str(path))
    assert "Dòng 3" in capsys.readouterr().err
    assert not AdministrativeUnit.objects.exclude(kind=UnitKind.MINISTRY).exists()  # the ministries are data


def test_import_units_command_reports_counts(db, tmp_path, capsys):
    path = tmp_path / "units.csv"
    path.write_text(HEADER + "19,Thái Nguyên,province,,,,\n", encoding="utf-8")
    call_command("import_units", str(path))
    assert "1 created, 0 updated, 0 unchanged." in capsys.readouterr().out
