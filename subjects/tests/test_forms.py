"""Registering a subject: tax codes, the commune choices and the likely-duplicate warning."""
from unittest import mock

import pytest

from ocop.models import AuditEntry
from subjects.forms import SubjectForm
from subjects.models import Subject


def subject_data(commune, **overrides):
    data = {
        "name": "Hợp tác xã Nông sản Sĩ Bình", "kind": "cooperative", "tax_code": "4700123456",
        "legal_representative": "Hoàng Văn Bình", "commune": commune.pk, "address": "Thôn Khuổi Chủ",
        "phone": "0209 3812 345", "email": "", "founded_year": "2019", "members_count": "8",
    }
    data.update(overrides)
    return data


@pytest.fixture
def officer(client_for):
    return client_for("huyen.bachthong")


@pytest.mark.parametrize(("typed", "stored"), [
    ("4700123456", "4700123456"),
    ("4700123456-001", "4700123456-001"),
    ("4700123456001", "4700123456-001"),
    ("4700 123.456", "4700123456"),
    (" 4700.123.456 - 001 ", "4700123456-001"),
])
def test_subject_create_with_a_valid_tax_code_stores_it_normalized(officer, unit, typed, stored):
    response = officer.post("/subjects/new/", subject_data(unit("01846"), tax_code=typed))
    subject = Subject.objects.get(name="Hợp tác xã Nông sản Sĩ Bình")
    assert response.status_code == 302 and response["Location"] == f"/subjects/{subject.pk}/"
    assert subject.tax_code == stored


@pytest.mark.parametrize("typed", ["470012345", "47001234567", "47001234AB", "4700123456-01", "MST4700123456"])
def test_subject_create_with_a_malformed_tax_code_shows_the_rule_and_saves_nothing(officer, unit, typed):
    response = officer.post("/subjects/new/", subject_data(unit("01846"), tax_code=typed))
    page = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].errors["tax_code"] == [
        "Mã số thuế gồm 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số đối với chi nhánh "
        "(ví dụ 4700123456-001)."]
    assert "Mã số thuế gồm 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số đối với chi nhánh" in page
    assert not Subject.objects.filter(name="Hợp tác xã Nông sản Sĩ Bình").exists()
    assert 'value="Hoàng Văn Bình"' in page  # nothing entered is lost


def test_subject_create_with_a_taken_tax_code_is_refused_beside_the_field(officer, unit, thien_an):
    response = officer.post("/subjects/new/", subject_data(unit("01846"), tax_code="4700 601 234"))
    form = response.context["form"]
    assert form.errors["tax_code"] == ["Mã số thuế này đã thuộc về chủ thể khác."]
    assert "Mã số thuế này đã thuộc về chủ thể khác." in response.content.decode()
    assert Subject.objects.filter(tax_code="4700601234").count() == 1


def test_subject_create_when_a_concurrent_request_took_the_tax_code_shows_a_field_error(officer, unit, thien_an):
    """The form's check and full_clean passed, the database's unique constraint refused: still a form error."""
    with mock.patch("subjects.forms.subject_tax_code_taken", return_value=False), \
            mock.patch("subjects.services.subject_tax_code_taken", return_value=False), \
            mock.patch.object(Subject, "validate_constraints", return_value=None):
        response = officer.post("/subjects/new/", subject_data(unit("01846"), tax_code="4700601234"))
    assert response.status_code == 200
    assert response.context["form"].errors["tax_code"] == ["Mã số thuế này đã thuộc về chủ thể khác."]
    assert Subject.objects.filter(tax_code="4700601234").count() == 1
    assert not AuditEntry.objects.filter(object_repr="Hợp tác xã Nông sản Sĩ Bình").exists()


def test_subject_create_cooperative_group_without_tax_code_is_allowed(officer, unit):
    response = officer.post("/subjects/new/", subject_data(
        unit("01846"), name="Tổ hợp tác mật ong Sĩ Bình", kind="cooperative_group", tax_code=""))
    assert response.status_code == 302
    assert Subject.objects.get(name="Tổ hợp tác mật ong Sĩ Bình").tax_code == ""


@pytest.mark.parametrize("kind", ["enterprise", "cooperative", "household_business"])
def test_subject_create_registered_kind_without_tax_code_is_refused(officer, unit, kind):
    response = officer.post("/subjects/new/", subject_data(unit("01846"), kind=kind, tax_code=""))
    assert response.status_code == 200
    assert response.context["form"].errors["tax_code"] == ["Chủ thể có đăng ký kinh doanh phải có mã số thuế."]
    assert not Subject.objects.filter(name="Hợp tác xã Nông sản Sĩ Bình").exists()


def test_subject_create_writes_an_audit_entry_with_the_officer(officer, unit, users):
    officer.post("/subjects/new/", subject_data(unit("01846")))
    subject = Subject.objects.get(name="Hợp tác xã Nông sản Sĩ Bình")
    entry = AuditEntry.objects.get(object_id=subject.pk, content_type__model="subject")
    assert (entry.action, entry.actor) == ("create", users["huyen.bachthong"])
    assert subject.created_by == users["huyen.bachthong"]


def test_subject_form_offers_only_the_communes_in_the_officers_area_with_their_district(users):
    form = SubjectForm(user=users["huyen.bachthong"])
    labels = [label for _value, label in form.fields["commune"].choices][1:]
    assert len(labels) == 14
    assert labels[1] == "Xã Vi Hương – Huyện Bạch Thông, Tỉnh Bắc Kạn"
    assert not any("Na Rì" in label for label in labels)


def test_subject_form_tells_same_named_communes_apart(users):
    labels = [label for _value, label in SubjectForm(user=users["admin"]).fields["commune"].choices]
    assert [label for label in labels if label.startswith("Xã Cao Sơn")] == [
        "Xã Cao Sơn – Huyện Bạch Thông, Tỉnh Bắc Kạn",
        "Xã Cao Sơn – Huyện Đà Bắc, Tỉnh Hòa Bình",
    ]


def test_subject_create_in_a_commune_outside_the_area_is_refused(officer, unit):
    response = officer.post("/subjects/new/", subject_data(unit("01963")))
    assert response.status_code == 200
    assert "commune" in response.context["form"].errors
    assert not Subject.objects.filter(name="Hợp tác xã Nông sản Sĩ Bình").exists()


# ---------------------------------------------------------------------------------------------
# Likely duplicates: same folded name in the same commune
# ---------------------------------------------------------------------------------------------


def test_subject_create_with_a_likely_duplicate_warns_and_keeps_what_was_typed(officer, unit, thien_an):
    response = officer.post("/subjects/new/", subject_data(
        unit("01843"), name="hợp tác xã THIÊN AN", tax_code="4700999888", legal_representative="Lý Văn Mới"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Trong xã này đã có chủ thể cùng tên:" in page
    assert f'<a href="/subjects/{thien_an.pk}/" target="_blank" rel="noopener">Hợp tác xã Thiên An</a>' in page
    assert "Tôi xác nhận đây là chủ thể khác" in page
    assert response.context["form"].errors["confirm_distinct"] == [
        "Trong xã này đã có chủ thể cùng tên. Hãy kiểm tra xem có phải cùng một chủ thể không; "
        "nếu không phải, đánh dấu vào ô để lưu."]
    assert 'value="Lý Văn Mới"' in page and 'value="4700999888"' in page
    assert Subject.objects.filter(commune__code="01843", search_text__startswith="hop tac xa thien an").count() == 1


def test_subject_create_with_a_likely_duplicate_saves_once_confirmed(officer, unit, thien_an):
    response = officer.post("/subjects/new/", subject_data(
        unit("01843"), name="Hợp tác xã Thiên An", tax_code="4700999888", confirm_distinct="on"))
    assert response.status_code == 302
    assert Subject.objects.filter(commune__code="01843", name="Hợp tác xã Thiên An").count() == 2


def test_subject_create_with_the_same_name_in_another_commune_needs_no_confirmation(officer, unit, thien_an):
    response = officer.post("/subjects/new/", subject_data(unit("01846"), name="Hợp tác xã Thiên An",
                                                           tax_code="4700999888"))
    assert response.status_code == 302


def test_subject_form_without_duplicates_does_not_show_the_confirmation(officer):
    page = officer.get("/subjects/new/").content.decode()
    assert "Tôi xác nhận đây là chủ thể khác" not in page
    assert 'name="confirm_distinct"' not in page
