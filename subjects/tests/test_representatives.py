"""The accounts that act for a subject: an officer of the area links and unlinks them, with history."""
import pytest

from ocop.models import AuditEntry
from subjects.models import SubjectRepresentative
from subjects.services import subject_representative_add, subject_representative_remove
from subjects.tests.factories import RepresentativeUserFactory, SubjectFactory, SubjectRepresentativeFactory


@pytest.fixture
def new_rep(db):
    return RepresentativeUserFactory(username="htx.dienvang", first_name="Hoàng Văn", last_name="Dền",
                                     email="dienvang@example.vn")


def test_officer_links_a_representative_by_username(client_for, thien_an, new_rep, users):
    client = client_for("huyen.bachthong")
    response = client.post(f"/subjects/{thien_an.pk}/representatives/", {"account": "htx.dienvang",
                                                                          "position": "Phó giám đốc"})
    assert response.status_code == 302 and response["Location"] == f"/subjects/{thien_an.pk}/representatives/"
    link = SubjectRepresentative.objects.get(subject=thien_an, user=new_rep)
    assert link.position == "Phó giám đốc"
    entry = AuditEntry.objects.filter(object_id=thien_an.pk, content_type__model="subject").first()
    assert (entry.actor, entry.message, entry.changes) == (
        users["huyen.bachthong"], "+ htx.dienvang", {"representatives": [None, "htx.dienvang"]})
    page = client.get(f"/subjects/{thien_an.pk}/representatives/").content.decode()
    assert "Hoàng Văn Dền đã được liên kết làm người đại diện của chủ thể." in page


def test_officer_links_a_representative_by_email(client_for, thien_an, new_rep):
    client_for("huyen.bachthong").post(f"/subjects/{thien_an.pk}/representatives/", {"account": "DienVang@example.vn"})
    assert SubjectRepresentative.objects.filter(subject=thien_an, user=new_rep).exists()


def test_linking_an_account_of_another_role_is_refused(client_for, thien_an):
    response = client_for("huyen.bachthong").post(f"/subjects/{thien_an.pk}/representatives/", {"account": "hoidong.1"})
    assert response.status_code == 200
    assert response.context["form"].errors["account"] == [
        "Không có tài khoản đại diện chủ thể nào đang hoạt động với tên đăng nhập hoặc email này."]
    assert not SubjectRepresentative.objects.filter(subject=thien_an, user__username="hoidong.1").exists()


def test_linking_an_account_twice_is_refused(client_for, thien_an):
    response = client_for("huyen.bachthong").post(f"/subjects/{thien_an.pk}/representatives/",
                                                   {"account": "htx.thienan"})
    assert response.context["form"].errors["account"] == ["Tài khoản này đã là người đại diện của chủ thể."]
    assert SubjectRepresentative.objects.filter(subject=thien_an).count() == 1


def test_new_representative_sees_only_the_subject_he_was_linked_to(client_for, client, unit, new_rep):
    subject = SubjectFactory(name="Hợp tác xã Kiểm thử Dền Vang", commune=unit("01855"))
    client_for("huyen.bachthong").post(f"/subjects/{subject.pk}/representatives/", {"account": "htx.dienvang"})
    client.force_login(new_rep)
    page = client.get("/subjects/").content.decode()
    assert f'<td><a href="/subjects/{subject.pk}/">Hợp tác xã Kiểm thử Dền Vang</a></td>' in page
    assert page.count('<td><a href="/subjects/') == 1


def test_officer_removes_a_representative_after_confirming(client_for, thien_an, users):
    client = client_for("huyen.bachthong")
    link = thien_an.representative_links.get(user__username="htx.thienan")
    page = client.get(f"/subjects/{thien_an.pk}/representatives/").content.decode()
    assert (f'action="/subjects/{thien_an.pk}/representatives/{link.pk}/remove/"' in page)
    assert 'data-confirm="Thôi liên kết Lý Thị Quên với chủ thể này?"' in page
    response = client.post(f"/subjects/{thien_an.pk}/representatives/{link.pk}/remove/")
    assert response.status_code == 302
    assert not thien_an.representative_links.exists()
    entry = AuditEntry.objects.filter(object_id=thien_an.pk, content_type__model="subject").first()
    assert (entry.actor, entry.message, entry.changes) == (
        users["huyen.bachthong"], "− htx.thienan", {"representatives": ["htx.thienan", None]})
    assert client_for("htx.thienan").get(f"/subjects/{thien_an.pk}/").status_code == 404


def test_removing_a_representative_needs_a_post(client_for, thien_an):
    link = thien_an.representative_links.get()
    response = client_for("huyen.bachthong").get(f"/subjects/{thien_an.pk}/representatives/{link.pk}/remove/")
    assert response.status_code == 405
    assert thien_an.representative_links.count() == 1


def test_removing_a_link_of_another_subject_is_404(client_for, thien_an, unit):
    other = SubjectRepresentativeFactory(subject=SubjectFactory(commune=unit("01846")))
    response = client_for("huyen.bachthong").post(f"/subjects/{thien_an.pk}/representatives/{other.pk}/remove/")
    assert response.status_code == 404
    assert SubjectRepresentative.objects.filter(pk=other.pk).exists()


def test_officer_of_another_district_cannot_manage_representatives(client_for, thien_an):
    link = thien_an.representative_links.get()
    client = client_for("huyen.nari")
    assert client.get(f"/subjects/{thien_an.pk}/representatives/").status_code == 404
    assert client.post(f"/subjects/{thien_an.pk}/representatives/{link.pk}/remove/").status_code == 404
    assert thien_an.representative_links.count() == 1


def test_representative_cannot_manage_representatives(client_for, thien_an):
    link = thien_an.representative_links.get()
    client = client_for("htx.thienan")
    assert client.get(f"/subjects/{thien_an.pk}/representatives/").status_code == 403
    assert client.post(f"/subjects/{thien_an.pk}/representatives/{link.pk}/remove/").status_code == 403
    assert thien_an.representative_links.count() == 1


def test_subject_representative_add_refuses_an_account_of_another_role(users, thien_an):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        subject_representative_add(subject=thien_an, user=users["hoidong.1"], by=users["admin"])
    assert exc.value.message_dict == {
        "user": ["Chỉ tài khoản có vai trò “đại diện chủ thể” mới được làm người đại diện của chủ thể."]}
    assert thien_an.representative_links.count() == 1


def test_subject_representative_add_twice_links_and_audits_once(users, thien_an, new_rep):
    before = AuditEntry.objects.count()
    first = subject_representative_add(subject=thien_an, user=new_rep, by=users["admin"])
    second = subject_representative_add(subject=thien_an, user=new_rep, by=users["admin"])
    assert first.pk == second.pk
    assert AuditEntry.objects.count() == before + 1


def test_subject_representative_remove_deletes_the_link_and_audits(users, thien_an):
    link = thien_an.representative_links.get()
    subject_representative_remove(link=link, by=users["admin"])
    entry = AuditEntry.objects.filter(object_id=thien_an.pk, content_type__model="subject").first()
    assert (entry.actor, entry.action, entry.message) == (users["admin"], "update", "− htx.thienan")
    assert thien_an.representative_links.count() == 0
