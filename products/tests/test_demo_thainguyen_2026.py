"""The demo's Thái Nguyên of 2026 (issue 16, item 6): ideas screened by the provincial office and dossiers at every
stage of the commune's part of the procedure (1489/QĐ-TTg, 26/2026/QĐ-TTg), seen by today's logins."""
import re

from django.utils import timezone

from ocop.enums import AuditAction
from ocop.models import AuditEntry, Cycle
from products.enums import DossierStatus, IdeaStatus
from products.models import Dossier, DossierList, ProductIdea


def _cycle():
    return Cycle.objects.get(province__code="19", year=2026)


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_demo_has_2026_ideas_submitted_selected_by_the_province_and_returned(demo_full):
    ideas = {i.product_name: (i.status, i.commune.name, i.screened_by.username if i.screened_by else None)
             for i in ProductIdea.objects.filter(cycle=_cycle()).select_related("commune", "screened_by")}
    assert ideas == {
        "Bún dong riềng Tài Hoan": (IdeaStatus.SELECTED, "Côn Minh", "tinh.thainguyen"),
        "Tinh dầu gừng Hương Ngàn": (IdeaStatus.SELECTED, "Côn Minh", "tinh.thainguyen"),
        "Trà xanh Bản Dao": (IdeaStatus.SELECTED, "Bạch Thông", "tinh.thainguyen"),
        "Măng vầu sấy Phiêng An": (IdeaStatus.SELECTED, "Bạch Thông", "tinh.thainguyen"),
        "Măng ớt Phủ Thông": (IdeaStatus.SELECTED, "Bạch Thông", "tinh.thainguyen"),
        "Trà giảo cổ lam Thiên An": (IdeaStatus.SELECTED, "Bạch Thông", "tinh.thainguyen"),
        "Xà phòng thảo dược Thiên An": (IdeaStatus.SELECTED, "Bạch Thông", "tinh.thainguyen"),
        "Bánh đa dong riềng Tài Hoan": (IdeaStatus.SUBMITTED, "Côn Minh", None),
        "Cốm nếp Khẩu Nua Dền Vang": (IdeaStatus.RETURNED, "Phong Quang", "tinh.thainguyen"),
    }
    returned = ProductIdea.objects.get(product_name="Cốm nếp Khẩu Nua Dền Vang")
    assert returned.status_reason == ("Bổ sung phiếu kết quả kiểm nghiệm chỉ tiêu vi sinh và ảnh mẫu nhãn sản phẩm "
                                      "dự kiến.")


def test_demo_has_2026_dossiers_at_every_stage_of_the_commune_procedure(demo_full):
    dossiers = {d.product.name: (d.status, d.checked_by.username if d.checked_by else None,
                                 d.sent_list.unit.name if d.sent_list else None)
                for d in Dossier.objects.filter(cycle=_cycle()).select_related("product", "checked_by",
                                                                              "sent_list__unit")}
    assert dossiers == {
        "Xà phòng thảo dược Thiên An": (DossierStatus.DRAFT, None, None),
        "Trà giảo cổ lam Thiên An": (DossierStatus.SUBMITTED, None, None),
        "Tinh dầu gừng Hương Ngàn": (DossierStatus.SUBMITTED, None, None),
        "Măng ớt Phủ Thông": (DossierStatus.CHECKED, "xa.bachthong", None),
        "Trà xanh Bản Dao": (DossierStatus.SENT, "xa.bachthong", "Bạch Thông"),
        "Măng vầu sấy Phiêng An": (DossierStatus.SENT, "xa.bachthong", "Bạch Thông"),
        "Túi thổ cẩm Thiên An": (DossierStatus.SENT, "xa.bachthong", "Bạch Thông"),  # HTX Thiên An's own product
        "Bún dong riềng Tài Hoan": (DossierStatus.SENT, "xa.conminh", "Côn Minh"),
    }
    # Returned once by Côn Minh's officer with a reason, completed and submitted again: the history keeps both.
    gung = Dossier.objects.get(cycle=_cycle(), product__name="Tinh dầu gừng Hương Ngàn")
    moves = [(e.changes["status"][0], e.changes["status"][1], e.actor.username) for e in AuditEntry.objects.filter(
        content_type__model="dossier", object_id=gung.pk, action=AuditAction.TRANSITION).order_by("at", "pk")]
    assert moves == [("draft", "submitted", "xa.conminh"), ("submitted", "returned", "xa.conminh"),
                     ("returned", "submitted", "xa.conminh")]
    assert AuditEntry.objects.filter(content_type__model="dossier", object_id=gung.pk,
                                     message__startswith="Trả lại để hoàn thiện: Bản thuyết minh").count() == 1
    lists = {(lst.unit.code, lst.sent_by.username, lst.dossiers.count())
             for lst in DossierList.objects.filter(cycle=_cycle()).select_related("unit", "sent_by")}
    assert lists == {("19102", "xa.bachthong", 3), ("19111", "xa.conminh", 1)}


def test_xa_bachthong_finds_htx_thien_an_dossier_waiting_for_him(demo_full, client_for):
    client = client_for("xa.bachthong")
    page = client.get(f"/products/dossiers/?cycle={_cycle().pk}&status=submitted").content.decode()
    rows = page.split('data-testid="dossier-table"')[1].split("<tbody>")[1].split("</tr>")[:-1]
    dossier = Dossier.objects.get(cycle=_cycle(), product__name="Trà giảo cổ lam Thiên An")
    submitted_on = timezone.localtime(dossier.submitted_at).strftime("%d/%m/%Y")
    assert [_text(row) for row in rows] == [
        "Trà giảo cổ lam Thiên An 12. Sản phẩm trà từ thực vật khác Hợp tác xã Thiên An Xã Bạch Thông 2026 "
        f"Đã nộp để đánh giá 10 {submitted_on}"]
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert 'data-testid="dossier-intake"' in page  # his buttons: mark as checked, return for completion
    assert "Đủ: đánh dấu đã kiểm tra" in page and "Trả lại để hoàn thiện" in page
    checklist = page.split('data-testid="checklist"')[1].split("</ul>")[0]
    assert (checklist.count('data-done="1"'), checklist.count('data-done="0"')) == (11, 0)  # 10 documents, samples
    # Côn Minh's officer does not receive it; HTX Thiên An's representative sees it waiting.
    assert client_for("xa.conminh").get(dossier.get_absolute_url()).status_code == 404
    page = client_for("htx.thienan").get(dossier.get_absolute_url()).content.decode()
    assert 'data-testid="dossier-intake"' not in page and "Đã nộp để đánh giá" in page


def test_tinh_thainguyen_reads_the_lists_sent_by_each_commune(demo_full, client_for):
    page = client_for("tinh.thainguyen").get(f"/products/dossiers/lists/?cycle={_cycle().pk}").content.decode()
    sections = page.split('data-testid="lists-of-unit"')[1:]
    assert [re.search(r'<h2 class="h5">([^<]+)', s).group(1).strip() for s in sections] == ["Bạch Thông", "Côn Minh"]
    assert "Nông Văn Khải" in sections[0] and "3 hồ sơ" in sections[0]
    assert "Trà xanh Bản Dao" in sections[0] and "Măng vầu sấy Phiêng An" in sections[0]
    assert "Lục Thị Mai" in sections[1] and "1 hồ sơ" in sections[1] and "Bún dong riềng Tài Hoan" in sections[1]
    assert "Bún dong riềng Tài Hoan" not in sections[0]


def test_demo_commune_officer_finds_the_dossiers_waiting_for_him_on_his_home_page(demo_full, client_for):
    """xa.bachthong: HTX Thiên An's dossier to return or check, and his checked one to send; the ministry's office
    and a commune officer of another commune see nothing of his."""
    panel = client_for("xa.bachthong").get("/").content.decode().split('data-testid="panel-dossier-intake"')[1]
    panel = panel.split("</div>\n</div>")[0]
    assert "1 hồ sơ đã nộp cần trả lại hoặc kiểm tra" in panel and "Trà giảo cổ lam Thiên An" in panel
    assert "Gửi 1 hồ sơ đã kiểm tra lên tỉnh" in panel
    other = client_for("xa.conminh").get("/").content.decode()
    assert "Trà giảo cổ lam Thiên An" not in other
    assert 'data-testid="panel-dossier-intake"' not in client_for("bo.nnmt").get("/").content.decode()
