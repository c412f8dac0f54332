"""Business plans of selected ideas (step 3) and their implementation (step 4): the plan document,
milestones and the support received, each change audited."""
import datetime
import re
from io import BytesIO

import pytest
from openpyxl import load_workbook

from ocop.models import AuditEntry
from ocop.tests.utils import count_queries
from products.enums import IdeaStatus, SupportKind
from products.models import BusinessPlan, PlanMilestone, Product, SupportActivity

from .factories import (
    PlanFactory,
    PlanIdeaFactory,
    PlanMilestoneFactory,
    PlanSupportFactory,
    ProductSubjectFactory,
    thienan_subject,
    tiny_upload,
)


@pytest.fixture
def thienan(users):
    return thienan_subject(users["htx.thienan"])


@pytest.fixture
def idea(thienan):
    return PlanIdeaFactory(subject=thienan, product_name="Trà hoa vàng Thiên An")


def _plan_entries(plan):
    return list(AuditEntry.objects.filter(content_type__model="businessplan", object_id=plan.pk).order_by("at", "id"))


# ---------------------------------------------------------------------------------------------
# Recording the plan
# ---------------------------------------------------------------------------------------------


def test_plan_is_recorded_from_a_selected_idea_with_its_document(client_for, idea, users):
    client = client_for("huyen.bachthong")
    response = client.post(f"/products/plans/new/{idea.pk}/", {
        "summary": "Mở rộng vùng trồng lên 5 ha", "received_on": "15/05/2024",
        "document": tiny_upload("pdf", "phuong-an-2024.pdf")})
    plan = BusinessPlan.objects.get(idea=idea)
    assert response["Location"] == plan.get_absolute_url()
    assert (plan.summary, plan.received_on, plan.document_name) == (
        "Mở rộng vùng trồng lên 5 ha", datetime.date(2024, 5, 15), "phuong-an-2024.pdf")
    assert plan.document.name.startswith("private/plans/") and plan.document.name.endswith(".pdf")
    assert [(e.actor, e.action) for e in _plan_entries(plan)] == [(users["huyen.bachthong"], "create")]
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Mở rộng vùng trồng lên 5 ha" in page and "15/05/2024" in page and "phuong-an-2024.pdf" in page


def test_representative_records_the_plan_of_his_subjects_idea(client_for, idea):
    response = client_for("htx.thienan").post(f"/products/plans/new/{idea.pk}/", {
        "summary": "Phương án của hợp tác xã", "document": tiny_upload("docx", "phuong-an.docx")})
    assert response.status_code == 302
    assert BusinessPlan.objects.get(idea=idea).document.name.endswith(".docx")


def test_plan_document_that_is_not_pdf_or_docx_is_refused_and_the_rest_kept(client_for, idea):
    response = client_for("huyen.bachthong").post(f"/products/plans/new/{idea.pk}/", {
        "summary": "Giữ nguyên phần tóm tắt", "received_on": "15/05/2024",
        "document": tiny_upload("exe", "phuong-an.pdf")})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Tệp “phuong-an.pdf” không thuộc loại được chấp nhận. Chấp nhận: PDF, DOCX." in page
    assert "Giữ nguyên phần tóm tắt" in page and 'value="15/05/2024"' in page
    assert not BusinessPlan.objects.filter(idea=idea).exists()


def test_plan_received_in_the_future_is_refused(client_for, idea):
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    response = client_for("huyen.bachthong").post(f"/products/plans/new/{idea.pk}/", {
        "received_on": tomorrow.strftime("%d/%m/%Y")})
    assert "Ngày này ở tương lai." in response.content.decode()
    assert not BusinessPlan.objects.filter(idea=idea).exists()


@pytest.mark.parametrize("status", [IdeaStatus.DRAFT, IdeaStatus.SUBMITTED, IdeaStatus.REJECTED])
def test_plan_of_an_idea_not_selected_is_refused(client_for, thienan, status):
    idea = PlanIdeaFactory(subject=thienan, status=status)
    response = client_for("huyen.bachthong").post(f"/products/plans/new/{idea.pk}/", {"summary": "Không được"})
    assert response.status_code == 403
    assert not BusinessPlan.objects.filter(idea=idea).exists()


def test_plan_of_an_idea_sent_to_the_province_is_accepted(client_for, thienan):
    idea = PlanIdeaFactory(subject=thienan, status=IdeaStatus.SENT)
    client_for("huyen.bachthong").post(f"/products/plans/new/{idea.pk}/", {"summary": "Đã gửi tỉnh"})
    assert BusinessPlan.objects.get(idea=idea).summary == "Đã gửi tỉnh"


def test_second_plan_of_an_idea_opens_the_first(client_for, idea):
    plan = PlanFactory(idea=idea)
    response = client_for("huyen.bachthong").get(f"/products/plans/new/{idea.pk}/")
    assert response["Location"] == plan.get_absolute_url()
    assert BusinessPlan.objects.filter(idea=idea).count() == 1


def test_new_document_replaces_the_old_one_and_is_audited(client_for, idea):
    plan = PlanFactory(idea=idea, summary="Bản đầu")
    client = client_for("huyen.bachthong")
    client.post(f"/products/plans/{plan.pk}/edit/", {
        "summary": "Bản đầu", "received_on": "15/05/2024", "document": tiny_upload("docx", "ban-sua.docx")})
    plan.refresh_from_db()
    assert plan.document_name == "ban-sua.docx"
    assert _plan_entries(plan)[-1].changes == {"document_name": ["", "ban-sua.docx"]}
    response = client.get(f"/products/plans/{plan.pk}/document/")
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    assert 'filename="ban-sua.docx"' in response["Content-Disposition"]


# ---------------------------------------------------------------------------------------------
# Who may see plans
# ---------------------------------------------------------------------------------------------


def test_plan_of_another_district_is_404(client_for, idea):
    plan = PlanFactory(idea=idea)
    client = client_for("huyen.nari")
    assert client.get(plan.get_absolute_url()).status_code == 404
    assert client.get(f"/products/plans/new/{idea.pk}/").status_code == 404
    assert client.post(f"/products/plans/{plan.pk}/milestones/new/", {"title": "X"}).status_code == 404


@pytest.mark.parametrize(("username", "status"), [("huyen.bachthong", 200), ("htx.thienan", 200), ("huyen.nari", 404)])
def test_plan_document_download_follows_the_plans_scope(client_for, idea, username, status):
    plan = PlanFactory(idea=idea)
    client_for("huyen.bachthong").post(f"/products/plans/{plan.pk}/edit/", {
        "summary": "", "document": tiny_upload("pdf", "phuong-an.pdf")})
    response = client_for(username).get(f"/products/plans/{plan.pk}/document/")
    assert response.status_code == status


def test_anonymous_plan_document_request_goes_to_login(client, idea):
    plan = PlanFactory(idea=idea)
    response = client.get(f"/products/plans/{plan.pk}/document/")
    assert response["Location"] == f"/accounts/login/?next=/products/plans/{plan.pk}/document/"


# ---------------------------------------------------------------------------------------------
# Milestones and support
# ---------------------------------------------------------------------------------------------


def test_milestone_added_changed_and_removed_is_audited(client_for, idea, users):
    plan = PlanFactory(idea=idea)
    client = client_for("huyen.bachthong")
    client.post(f"/products/plans/{plan.pk}/milestones/new/", {"title": "Thiết kế bao bì", "due_on": "30/06/2024"})
    milestone = PlanMilestone.objects.get(plan=plan)
    client.post(f"/products/plans/milestones/{milestone.pk}/edit/", {
        "title": "Thiết kế bao bì", "due_on": "30/06/2024", "done_on": "25/06/2024"})
    milestone.refresh_from_db()
    assert milestone.done_on == datetime.date(2024, 6, 25)
    response = client.post(f"/products/plans/milestones/{milestone.pk}/delete/")
    assert response["Location"] == plan.get_absolute_url()
    assert not PlanMilestone.objects.filter(plan=plan).exists()
    assert [(e.action, e.message, e.changes) for e in _plan_entries(plan)] == [
        ("update", "Thêm mốc: Thiết kế bao bì", {}),
        ("update", "Sửa mốc: Thiết kế bao bì", {"done_on": [None, "2024-06-25"]}),
        ("delete", "Gỡ mốc: Thiết kế bao bì", {}),
    ]


def test_plan_page_flags_an_overdue_milestone(client_for, idea):
    plan = PlanFactory(idea=idea)
    PlanMilestoneFactory(plan=plan, title="Đăng ký mã vạch", due_on=datetime.date(2024, 1, 31))
    PlanMilestoneFactory(plan=plan, title="Tập huấn", due_on=datetime.date(2024, 1, 31),
                         done_on=datetime.date(2024, 1, 20))
    page = client_for("huyen.bachthong").get(plan.get_absolute_url()).content.decode()
    assert page.count('<span class="badge text-bg-danger">quá hạn</span>') == 1
    assert "Đăng ký mã vạch" in page and "20/01/2024" in page


def test_support_ending_before_it_starts_is_refused_beside_the_field(client_for, idea):
    plan = PlanFactory(idea=idea)
    response = client_for("huyen.bachthong").post(f"/products/plans/{plan.pk}/support/new/", {
        "kind": "packaging", "description": "Thiết kế nhãn mác", "provider": "Sở Công Thương",
        "starts_on": "10/06/2024", "ends_on": "01/06/2024"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ngày kết thúc không được trước ngày bắt đầu." in page
    assert 'value="Thiết kế nhãn mác"' in page and 'value="Sở Công Thương"' in page
    assert not SupportActivity.objects.filter(plan=plan).exists()


def test_support_received_is_recorded_shown_and_removed(client_for, idea, users):
    plan = PlanFactory(idea=idea)
    client = client_for("huyen.bachthong")
    client.post(f"/products/plans/{plan.pk}/support/new/", {
        "kind": "packaging", "description": "Thiết kế nhãn mác", "provider": "Sở Công Thương",
        "starts_on": "01/06/2024", "ends_on": "10/06/2024"})
    activity = SupportActivity.objects.get(plan=plan)
    assert (activity.kind, activity.starts_on, activity.ends_on) == (
        SupportKind.PACKAGING, datetime.date(2024, 6, 1), datetime.date(2024, 6, 10))
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Bao bì, nhãn mác" in page and "01/06/2024 – 10/06/2024" in page
    client.post(f"/products/plans/support/{activity.pk}/delete/")
    assert not SupportActivity.objects.filter(plan=plan).exists()
    assert [(e.actor, e.message) for e in _plan_entries(plan)] == [
        (users["huyen.bachthong"], "Thêm hỗ trợ: Bao bì, nhãn mác – Thiết kế nhãn mác"),
        (users["huyen.bachthong"], "Gỡ hỗ trợ: Thiết kế nhãn mác"),
    ]


def test_support_change_records_what_changed(client_for, idea):
    activity = PlanSupportFactory(plan=PlanFactory(idea=idea), provider="")
    client_for("huyen.bachthong").post(f"/products/plans/support/{activity.pk}/edit/", {
        "kind": "training", "description": activity.description, "provider": "Trung tâm Khuyến nông"})
    assert _plan_entries(activity.plan)[-1].changes == {"provider": ["", "Trung tâm Khuyến nông"]}


def test_council_member_cannot_reach_plans(client_for, idea):
    plan = PlanFactory(idea=idea)
    client = client_for("hoidong.1")
    assert client.get("/products/plans/").status_code == 403
    assert client.get(plan.get_absolute_url()).status_code == 403


# ---------------------------------------------------------------------------------------------
# The product of an idea
# ---------------------------------------------------------------------------------------------


def test_officer_registers_the_product_of_an_idea_without_one(client_for, idea, users):
    plan = PlanFactory(idea=idea)
    response = client_for("huyen.bachthong").post(f"/products/plans/{plan.pk}/product/")
    idea.refresh_from_db()
    product = Product.objects.get(pk=idea.product_id)
    assert response["Location"] == product.get_absolute_url()
    assert (product.name, product.subject, product.product_set.number, product.commune.code) == (
        "Trà hoa vàng Thiên An", idea.subject, 12, "01843")
    entry = AuditEntry.objects.get(content_type__model="product", object_id=product.pk)
    assert (entry.actor, entry.message) == (users["huyen.bachthong"], "Từ ý tưởng sản phẩm đăng ký năm 2024")


def test_representative_cannot_register_the_product(client_for, idea):
    plan = PlanFactory(idea=idea)
    assert client_for("htx.thienan").post(f"/products/plans/{plan.pk}/product/").status_code == 403
    idea.refresh_from_db()
    assert idea.product_id is None


# ---------------------------------------------------------------------------------------------
# The list
# ---------------------------------------------------------------------------------------------

ROW = re.compile(r'<td><a href="/products/plans/\d+/">([^<]+)</a></td>')


def test_plan_list_holds_the_users_area_only(client_for, idea, demo_units):
    PlanFactory(idea=idea)
    na_ri = PlanIdeaFactory(subject=ProductSubjectFactory(commune=demo_units["01963"]),
                            product_name="Miến dong Côn Minh thử nghiệm")
    PlanFactory(idea=na_ri)
    found = client_for("huyen.bachthong").get("/products/plans/?q=thu nghiem con minh").content.decode()
    assert ROW.findall(found) == []
    assert ROW.findall(client_for("huyen.nari").get("/products/plans/").content.decode()) == [
        "Miến dong Côn Minh thử nghiệm"]
    assert ROW.findall(client_for("htx.thienan").get("/products/plans/").content.decode()) == ["Trà hoa vàng Thiên An"]


def test_plan_list_filters_by_received(client_for, thienan):
    PlanFactory(idea=PlanIdeaFactory(subject=thienan, product_name="Đã nhận thử nghiệm"))
    PlanFactory(idea=PlanIdeaFactory(subject=thienan, product_name="Chưa nhận thử nghiệm"), received_on=None)
    client = client_for("huyen.bachthong")
    assert ROW.findall(client.get("/products/plans/?q=thu nghiem&received=no").content.decode()) == [
        "Chưa nhận thử nghiệm"]
    assert ROW.findall(client.get("/products/plans/?q=thu nghiem&received=yes").content.decode()) == [
        "Đã nhận thử nghiệm"]


def test_plan_list_query_count_does_not_grow(client_for, thienan, django_assert_num_queries):
    client = client_for("huyen.bachthong")
    PlanFactory(idea=PlanIdeaFactory(subject=thienan, product_name="Đếm truy vấn 1"))
    one = count_queries(lambda: client.get("/products/plans/?q=dem truy van"))
    for i in range(2, 5):
        plan = PlanFactory(idea=PlanIdeaFactory(subject=thienan, product_name=f"Đếm truy vấn {i}"))
        PlanMilestoneFactory.create_batch(i, plan=plan)
        PlanSupportFactory(plan=plan)
    with django_assert_num_queries(one):
        page = client.get("/products/plans/?q=dem truy van").content.decode()
    assert len(ROW.findall(page)) == 4


def test_plan_export_counts_milestones_and_support(client_for, idea):
    plan = PlanFactory(idea=idea)
    PlanMilestoneFactory(plan=plan, done_on=datetime.date(2024, 6, 1))
    PlanMilestoneFactory(plan=plan)
    PlanSupportFactory(plan=plan)
    response = client_for("huyen.bachthong").get("/products/plans/export/?q=tra hoa vang thien an")
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows == [
        ("Sản phẩm", "Chủ thể", "Xã", "Năm", "Ngày nhận", "Mốc thực hiện", "Mốc đã hoàn thành", "Hỗ trợ đã nhận",
         "Tóm tắt"),
        ("Trà hoa vàng Thiên An", "Hợp tác xã Thiên An", "Vi Hương", 2024, "15/05/2024", 2, 1, 1,
         "Mở rộng vùng nguyên liệu, cải tiến bao bì."),
    ]


# ---------------------------------------------------------------------------------------------
# Reaching the plan: buttons from the idea, the product and the empty list
# ---------------------------------------------------------------------------------------------


def test_selected_idea_page_offers_to_write_its_plan_then_opens_it(client_for, idea):
    client = client_for("htx.thienan")
    create_url = f"/products/plans/new/{idea.pk}/"

    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Lập phương án kinh doanh" in page and create_url in page
    plan = PlanFactory(idea=idea)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Mở phương án kinh doanh" in page and plan.get_absolute_url() in page and create_url not in page


def test_submitted_idea_page_offers_no_plan(client_for, idea):
    idea.status = IdeaStatus.SUBMITTED
    idea.save()

    page = client_for("htx.thienan").get(idea.get_absolute_url()).content.decode()

    assert "Lập phương án kinh doanh" not in page and "/products/plans/new/" not in page


def test_product_page_offers_the_plan_of_its_selected_idea(client_for, idea, thienan):
    product = Product.objects.create(subject=thienan, product_set=idea.product_set, name=idea.product_name,
                                     commune=idea.commune)
    idea.product = product
    idea.save()
    client = client_for("htx.thienan")

    page = client.get(product.get_absolute_url()).content.decode()
    assert f"/products/plans/new/{idea.pk}/" in page and "Lập phương án kinh doanh năm 2024" in page
    PlanFactory(idea=idea)
    page = client.get(product.get_absolute_url()).content.decode()
    assert "/products/plans/new/" not in page and "Phương án sản xuất kinh doanh năm 2024" in page


def test_empty_plan_list_points_to_the_selected_ideas(client_for, thienan):
    page = client_for("htx.thienan").get("/products/plans/").content.decode()

    assert "Chưa có phương án kinh doanh nào" in page
    assert 'href="/products/ideas/?status=selected"' in page and "Ý tưởng đã được chọn" in page
