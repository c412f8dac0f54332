"""The Django admin of subjects: list, folded search, the form with its representatives inline."""


def test_admin_subject_list_searches_without_diacritics(client_for, thien_an):
    page = client_for("admin").get("/admin/subjects/subject/?q=thien+an").content.decode()
    link = f'href="/admin/subjects/subject/{thien_an.pk}/change/?_changelist_filters=q%3Dthien%2Ban"'
    assert f"{link}>Hợp tác xã Thiên An</a>" in page
    assert "4700601234" in page
    assert "Hợp tác xã Tài Hoan" not in page


def test_admin_subject_form_shows_the_representatives_inline(client_for, thien_an):
    response = client_for("admin").get(f"/admin/subjects/subject/{thien_an.pk}/change/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="representative_links-TOTAL_FORMS"' in page
    assert 'name="representative_links-0-user"' in page


def test_admin_representative_list_renders(client_for, thien_an):
    page = client_for("admin").get("/admin/subjects/subjectrepresentative/?q=thienan").content.decode()
    assert "Lý Thị Quên – Hợp tác xã Thiên An" in page
