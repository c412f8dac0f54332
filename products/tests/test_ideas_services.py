"""Product ideas as the services keep them: uploads, the screening state machine, versions, lists sent."""
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ocop.enums import AuditAction, Role
from ocop.models import AuditEntry, Cycle, User
from ocop.selectors import audit_trail_for
from products.enums import IdeaStatus
from products.models import IdeaList, Product, ProductIdea, ProductSet, Standard
from products.services.ideas import (
    IDEA_FIELDS,
    IdeaIncomplete,
    idea_attachment_add,
    idea_attachment_remove,
    idea_register,
    idea_reject,
    idea_return,
    idea_select,
    idea_submit,
    ideas_send,
)
from products.tests.factories import TINY_PDF, IdeaAttachmentFactory, IdeaFactory, ProductFactory, backan_cycle, unit
from subjects.models import Subject
from subjects.tests.factories import SubjectFactory

MB = 1024 * 1024


# ---------------------------------------------------------------------------------------------
# Files built in the test
# ---------------------------------------------------------------------------------------------


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (11, 110, 79)).save(out, format="PNG")
    return out.getvalue()


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (224, 168, 0)).save(out, format="JPEG")
    return out.getvalue()


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
    return out.getvalue()


EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


@pytest.fixture
def cycle(demo):
    """Bắc Kạn's 2025 cycle: the tests' ideas, apart from whatever the demo registers in 2024."""
    return backan_cycle(2025)


@pytest.fixture
def officer(users):
    return users["huyen.bachthong"]


@pytest.fixture
def thai_nguyen(demo):
    """Two-tier rules: province 19 with its office and a cycle; its communes sit directly under it."""
    province = unit("19")
    staff, _created = User.objects.get_or_create(username="tinh.thainguyen",
                                                 defaults={"role": Role.PROVINCE_STAFF, "unit": province})
    cycle, _created = Cycle.objects.get_or_create(province=province, year=2026,
                                                  defaults={"name": "OCOP Thái Nguyên 2026"})
    return {"province": province, "staff": staff, "cycle": cycle}


def submitted(**kwargs) -> ProductIdea:
    idea = IdeaFactory(attached=True, **kwargs)
    return idea_submit(idea=idea, by=None)


def registered(idea, **changes) -> dict:
    """The idea's registration form as saved, with `changes`: what `idea_register` takes to change some values."""
    values = {name: getattr(idea, name) for name in IDEA_FIELDS}
    return {**values, "standards": list(idea.standards.all()), **changes}


def transition_messages(idea) -> list[str]:
    return list(audit_trail_for(idea).filter(action=AuditAction.TRANSITION).order_by("at", "id")
                .values_list("message", flat=True))


# ---------------------------------------------------------------------------------------------
# Uploads
# ---------------------------------------------------------------------------------------------


def test_attachment_of_30_mb_is_refused_with_a_vietnamese_message(cycle, officer):
    idea = IdeaFactory(cycle=cycle)
    big = SimpleUploadedFile("ho-so.pdf", b"%PDF-1.4\n" + b"0" * (30 * MB), content_type="application/pdf")

    with pytest.raises(ValidationError) as caught:
        idea_attachment_add(idea=idea, uploaded=big, by=officer)

    assert caught.value.messages == ["Tệp “ho-so.pdf” có dung lượng 30,0\xa0MB, vượt quá giới hạn 20,0\xa0MB."]
    assert idea.attachments.count() == 0


def test_attachment_exe_renamed_pdf_is_refused(cycle, officer):
    idea = IdeaFactory(cycle=cycle)
    fake = SimpleUploadedFile("phieu-dang-ky.pdf", EXE_BYTES, content_type="application/pdf")

    with pytest.raises(ValidationError) as caught:
        idea_attachment_add(idea=idea, uploaded=fake, by=officer)

    assert caught.value.messages == [
        "Tệp “phieu-dang-ky.pdf” không thuộc loại được chấp nhận. Chấp nhận: PDF, JPEG, PNG, DOCX, XLSX."]
    assert idea.attachments.count() == 0


@pytest.mark.parametrize(("name", "content", "kind"), [
    ("phieu.pdf", TINY_PDF, "pdf"),
    ("anh-san-pham.png", png_bytes(), "png"),
    ("bao-bi.JPG", jpeg_bytes(), "jpeg"),
    ("cau-chuyen-san-pham.docx", docx_bytes(), "docx"),
])
def test_attachment_real_files_are_accepted_with_name_type_and_size(cycle, officer, name, content, kind):
    idea = IdeaFactory(cycle=cycle)

    attachment = idea_attachment_add(idea=idea, uploaded=SimpleUploadedFile(name, content), by=officer)

    assert (attachment.original_name, attachment.file_type, attachment.size) == (name, kind, len(content))
    assert attachment.file.read() == content
    assert attachment.file.name.startswith("private/ideas/") and name not in attachment.file.name
    assert audit_trail_for(idea).first().message == f"Đính kèm tệp: {name}"


def test_attachment_cannot_be_added_to_a_submitted_idea(cycle, officer):
    idea = submitted(cycle=cycle)

    with pytest.raises(ValidationError) as caught:
        idea_attachment_add(idea=idea, uploaded=SimpleUploadedFile("a.pdf", TINY_PDF), by=officer)

    assert caught.value.messages == ["Chỉ thêm được tệp vào ý tưởng đang là bản nháp hoặc đã bị trả lại."]
    assert idea.attachments.count() == 1


def test_attachment_remove_deletes_the_record_and_the_file(cycle, officer, django_capture_on_commit_callbacks):
    attachment = IdeaAttachmentFactory(idea=IdeaFactory(cycle=cycle))
    storage, name = attachment.file.storage, attachment.file.name

    with django_capture_on_commit_callbacks(execute=True):
        idea_attachment_remove(attachment=attachment, by=officer)

    assert attachment.idea.attachments.count() == 0
    assert not storage.exists(name)


def test_idea_create_with_a_bad_file_saves_the_draft_and_the_good_files(cycle, officer):
    subject = SubjectFactory(commune=unit("01843"))
    data = {"cycle": cycle, "subject": subject, "product_name": "Miến dong Vi Hương",
            "product_set": ProductSet.objects.get(number=7), "commune": unit("01843")}
    files = [SimpleUploadedFile("anh.png", png_bytes()), SimpleUploadedFile("virus.pdf", EXE_BYTES)]

    registration = idea_register(**data, attachments=files, submit=False, by=officer)

    idea = registration.idea
    assert ProductIdea.objects.get().pk == idea.pk
    assert (idea.status, idea.product_name, idea.created_by) == (IdeaStatus.DRAFT, "Miến dong Vi Hương", officer)
    assert [a.original_name for a in idea.attachments.all()] == ["anh.png"]
    assert registration.refused_files == [
        "Tệp “virus.pdf” không thuộc loại được chấp nhận. Chấp nhận: PDF, JPEG, PNG, DOCX, XLSX."]


def test_idea_create_with_a_commune_outside_the_cycle_province_saves_nothing(cycle, officer):
    subject = SubjectFactory(commune=unit("01843"))
    data = {"cycle": cycle, "subject": subject, "product_name": "Chè Ý Yên",
            "product_set": ProductSet.objects.get(number=14), "commune": unit("13873")}

    with pytest.raises(ValidationError) as caught:
        idea_register(**data, submit=False, by=officer)

    assert caught.value.message_dict == {"commune": ["Xã phải thuộc tỉnh của chu trình (Bắc Kạn)."]}
    assert ProductIdea.objects.filter(cycle=cycle).count() == 0


def test_idea_create_registers_the_new_subject_in_the_idea_commune(cycle, officer):
    data = {"cycle": cycle, "subject": None, "product_name": "Mật ong Sĩ Bình",
            "product_set": ProductSet.objects.get(number=4), "commune": unit("01846"),
            "new_subject_name": "Tổ hợp tác ong mật Sĩ Bình", "new_subject_kind": "cooperative_group",
            "new_subject_tax_code": "", "new_subject_legal_representative": "Hoàng Văn Ong"}

    idea = idea_register(**data, submit=False, by=officer).idea

    subject = Subject.objects.get(name="Tổ hợp tác ong mật Sĩ Bình")
    assert (idea.subject, subject.commune.code, subject.created_by) == (subject, "01846", officer)


def test_idea_create_with_a_taken_tax_code_reports_it_beside_the_field(cycle, officer):
    SubjectFactory(tax_code="4700999999", commune=unit("01843"))
    data = {"cycle": cycle, "subject": None, "product_name": "Mật ong Sĩ Bình",
            "product_set": ProductSet.objects.get(number=4), "commune": unit("01846"),
            "new_subject_name": "HTX Ong", "new_subject_kind": "cooperative", "new_subject_tax_code": "4700999999",
            "new_subject_legal_representative": "Hoàng Văn Ong"}

    with pytest.raises(ValidationError) as caught:
        idea_register(**data, submit=False, by=officer)

    assert list(caught.value.message_dict) == ["new_subject_tax_code"]
    assert Subject.objects.filter(name="HTX Ong").count() == 0


def complete_form(cycle, **changes) -> dict:
    """A registration form with every value a submission needs (files apart)."""
    return {"cycle": cycle, "subject": SubjectFactory(commune=unit("01843")), "product_name": "Miến dong Vi Hương",
            "product_set": ProductSet.objects.get(number=7), "commune": unit("01843"),
            "raw_material_source": "Củ dong riềng của xã", "local_material_share": 80, "market": "provincial",
            "expected_star": 3, **changes}


def test_idea_register_with_submit_saves_and_submits_a_complete_form_in_one_call(cycle, officer):
    registration = idea_register(**complete_form(cycle), attachments=[SimpleUploadedFile("phieu.pdf", TINY_PDF)],
                                 submit=True, by=officer)

    idea = ProductIdea.objects.get(pk=registration.idea.pk)
    assert (registration.created, registration.submitted, registration.refused_files, registration.missing) == (
        True, True, [], {})
    assert (idea.status, idea.version, idea.created_by) == (IdeaStatus.SUBMITTED, 2, officer)
    assert transition_messages(idea) == ["Đã gửi xét chọn"]


def test_idea_register_with_submit_and_a_refused_file_saves_the_draft_and_returns_the_refusal(cycle, officer):
    files = [SimpleUploadedFile("anh.png", png_bytes()), SimpleUploadedFile("virus.pdf", EXE_BYTES)]

    registration = idea_register(**complete_form(cycle), attachments=files, submit=True, by=officer)

    idea = ProductIdea.objects.get(pk=registration.idea.pk)
    assert (registration.submitted, registration.missing) == (False, {})
    assert registration.refused_files == [
        "Tệp “virus.pdf” không thuộc loại được chấp nhận. Chấp nhận: PDF, JPEG, PNG, DOCX, XLSX."]
    assert (idea.status, idea.version) == (IdeaStatus.DRAFT, 1)
    assert list(idea.attachments.values_list("original_name", flat=True)) == ["anh.png"]


def test_idea_register_with_submit_of_an_incomplete_form_saves_the_draft_and_says_what_it_lacks(cycle, officer):
    idea = IdeaFactory(cycle=cycle, attached=True)

    registration = idea_register(idea=idea, version=idea.version, submit=True, by=officer,
                                 **registered(idea, market="", expected_star=None))

    idea.refresh_from_db()
    assert (registration.created, registration.submitted) == (False, False)
    assert registration.missing == {"market": "thị trường chính", "expected_star": "hạng sao dự kiến"}
    assert (idea.status, idea.version, idea.market) == (IdeaStatus.DRAFT, 2, "")


# ---------------------------------------------------------------------------------------------
# The state machine
# ---------------------------------------------------------------------------------------------


def test_idea_submit_lists_every_missing_item(cycle):
    idea = IdeaFactory(cycle=cycle, raw_material_source="", local_material_share=None, market="",
                       expected_star=None)

    with pytest.raises(IdeaIncomplete) as caught:
        idea_submit(idea=idea, by=None)

    assert caught.value.message_dict == {
        "raw_material_source": ["Còn thiếu: nguồn nguyên liệu."],
        "local_material_share": ["Còn thiếu: tỷ lệ nguyên liệu tại địa phương."],
        "market": ["Còn thiếu: thị trường chính."],
        "expected_star": ["Còn thiếu: hạng sao dự kiến."],
        "attachments": ["Còn thiếu: ít nhất một ảnh hoặc tài liệu."],
    }
    idea.refresh_from_db()
    assert (idea.status, idea.version) == (IdeaStatus.DRAFT, 1)


def test_idea_submit_moves_a_complete_draft_to_submitted(cycle, officer):
    idea = IdeaFactory(cycle=cycle, attached=True)

    idea_submit(idea=idea, by=officer)

    idea.refresh_from_db()
    assert (idea.status, idea.version) == (IdeaStatus.SUBMITTED, 2)
    assert idea.submitted_at is not None
    assert transition_messages(idea) == ["Đã gửi xét chọn"]
    assert audit_trail_for(idea).first().changes == {"status": ["draft", "submitted"]}


@pytest.mark.parametrize(("status", "action", "message"), [
    (IdeaStatus.DRAFT, "select", "Không thể chọn ý tưởng đang ở trạng thái “Nháp”."),
    (IdeaStatus.DRAFT, "return", "Không thể trả lại ý tưởng đang ở trạng thái “Nháp”."),
    (IdeaStatus.DRAFT, "reject", "Không thể từ chối ý tưởng đang ở trạng thái “Nháp”."),
    (IdeaStatus.SUBMITTED, "submit", "Không thể gửi xét chọn ý tưởng đang ở trạng thái “Đã gửi xét chọn”."),
    (IdeaStatus.SELECTED, "select", "Không thể chọn ý tưởng đang ở trạng thái “Đã chọn”."),
    (IdeaStatus.SELECTED, "return", "Không thể trả lại ý tưởng đang ở trạng thái “Đã chọn”."),
    (IdeaStatus.REJECTED, "submit", "Không thể gửi xét chọn ý tưởng đang ở trạng thái “Bị từ chối”."),
    (IdeaStatus.REJECTED, "select", "Không thể chọn ý tưởng đang ở trạng thái “Bị từ chối”."),
    (IdeaStatus.RETURNED, "select", "Không thể chọn ý tưởng đang ở trạng thái “Trả lại để bổ sung”."),
    (IdeaStatus.SENT, "reject", "Không thể từ chối ý tưởng đang ở trạng thái “Đã gửi lên tỉnh”."),
])
def test_illegal_transitions_are_refused(cycle, officer, status, action, message):
    idea = IdeaFactory(cycle=cycle, status=status, attached=True)
    calls = {
        "submit": lambda: idea_submit(idea=idea, by=officer),
        "select": lambda: idea_select(idea=idea, by=officer),
        "return": lambda: idea_return(idea=idea, reason="Bổ sung ảnh", by=officer),
        "reject": lambda: idea_reject(idea=idea, reason="Trùng lặp", by=officer),
    }

    with pytest.raises(ValidationError) as caught:
        calls[action]()

    assert caught.value.messages == [message]
    idea.refresh_from_db()
    assert (idea.status, idea.version) == (status, 1)


@pytest.mark.parametrize("status", IdeaStatus.values)
@pytest.mark.parametrize("action", list(IdeaStatus.TRANSITIONS))
def test_every_transition_is_allowed_exactly_from_the_statuses_of_the_table(cycle, officer, status, action):
    idea = IdeaFactory(cycle=cycle, status=status, attached=True)
    service = {"submit": idea_submit, "select": idea_select, "return": idea_return, "reject": idea_reject}.get(action)
    arguments = {"reason": "Lý do thử"} if action in ("return", "reject") else {}
    sources, target = IdeaStatus.TRANSITIONS[action]

    def move():
        return ideas_send(ideas=[idea], by=officer) if action == "send" else service(idea=idea, by=officer, **arguments)

    if status in sources:
        move()
    else:
        with pytest.raises(ValidationError):
            move()

    idea.refresh_from_db()
    assert (idea.status, idea.version) == ((target, 2) if status in sources else (status, 1))


@pytest.mark.parametrize("service", [idea_return, idea_reject])
@pytest.mark.parametrize("reason", ["", "   "])
def test_return_and_reject_need_a_reason(cycle, officer, service, reason):
    idea = submitted(cycle=cycle)

    with pytest.raises(ValidationError) as caught:
        service(idea=idea, reason=reason, by=officer)

    assert caught.value.message_dict == {"reason": ["Hãy nêu lý do: chủ thể sẽ đọc lý do này."]}
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.SUBMITTED


def test_reject_records_the_reason(cycle, officer):
    idea = submitted(cycle=cycle)

    idea_reject(idea=idea, reason="Sản phẩm không thuộc chương trình OCOP", by=officer)

    idea.refresh_from_db()
    assert (idea.status, idea.status_reason, idea.screened_by) == (
        IdeaStatus.REJECTED, "Sản phẩm không thuộc chương trình OCOP", officer)
    assert transition_messages(idea)[-1] == "Từ chối: Sản phẩm không thuộc chương trình OCOP"


def test_return_edit_resubmit_keeps_each_round_in_the_history(cycle, officer):
    idea = submitted(cycle=cycle)

    idea_return(idea=idea, reason="Bổ sung ảnh bao bì", by=officer)
    idea_register(idea=idea, version=idea.version, submit=False, by=officer,
                  **registered(idea, raw_material_source="Dong riềng của 30 hộ trong xã"))
    idea_submit(idea=idea, by=officer)
    idea_select(idea=idea, by=officer)

    idea.refresh_from_db()
    assert (idea.status, idea.status_reason, idea.version) == (IdeaStatus.SELECTED, "", 6)
    assert transition_messages(idea) == [
        "Đã gửi xét chọn",
        "Trả lại để bổ sung: Bổ sung ảnh bao bì",
        "Đã gửi lại sau khi bổ sung (lần 2)",
        "Đã chọn",
    ]
    update = audit_trail_for(idea).filter(action=AuditAction.UPDATE, changes__has_key="raw_material_source").get()
    assert update.changes == {"raw_material_source": ["Củ dong riềng trồng tại xã", "Dong riềng của 30 hộ trong xã"]}


def test_idea_update_with_a_stale_version_is_refused_and_saves_nothing(cycle, officer, users):
    idea = IdeaFactory(cycle=cycle)
    opened_by_both = idea.version
    idea_register(idea=ProductIdea.objects.get(pk=idea.pk), version=opened_by_both,
                  **registered(idea, product_name="Miến dong loại 1"), submit=False, by=users["tinh.backan"])

    with pytest.raises(ValidationError) as caught:
        idea_register(idea=ProductIdea.objects.get(pk=idea.pk), version=opened_by_both,
                      **registered(idea, product_name="Miến dong đặc biệt"), submit=False, by=officer)

    assert caught.value.code == "conflict"
    assert caught.value.messages[0].startswith("Ngô Mai Hương đã lưu ý tưởng này lúc ")
    assert "Thay đổi của bạn chưa được lưu" in caught.value.messages[0]
    idea.refresh_from_db()
    assert (idea.product_name, idea.version) == ("Miến dong loại 1", 2)


def test_idea_update_of_a_submitted_idea_is_refused(cycle, officer):
    idea = submitted(cycle=cycle)

    with pytest.raises(ValidationError) as caught:
        idea_register(idea=idea, version=idea.version, **registered(idea, product_name="Khác"), submit=False,
                      by=officer)

    assert caught.value.messages == ["Ý tưởng đang ở trạng thái “Đã gửi xét chọn” không thể sửa được nữa."]


def test_idea_update_records_changed_standards(cycle, officer):
    idea = IdeaFactory(cycle=cycle)
    vietgap = Standard.objects.get(code="vietgap")

    idea_register(idea=idea, version=1, **registered(idea, standards=[vietgap]), submit=False, by=officer)

    assert list(idea.standards.all()) == [vietgap]
    assert audit_trail_for(idea).first().changes == {"standards": ["", "VietGAP"]}


def test_select_of_a_new_product_creates_the_product_from_the_idea(cycle, officer):
    idea = IdeaFactory(cycle=cycle, attached=True, product_name="Miến dong Vi Hương")
    idea.standards.set(Standard.objects.filter(code__in=["vietgap", "organic"]))
    idea_submit(idea=idea, by=officer)

    idea_select(idea=idea, by=officer)

    product = Product.objects.get(ideas=idea)
    assert (product.subject, product.product_set.number, product.name, product.commune.code, product.created_by) == (
        idea.subject, 7, "Miến dong Vi Hương", "01843", officer)
    assert sorted(product.standards.values_list("code", flat=True)) == ["organic", "vietgap"]
    assert audit_trail_for(product).get().message == "Tạo khi ý tưởng của sản phẩm được chọn"


def test_select_of_an_existing_product_creates_no_product(cycle, officer):
    product = ProductFactory()
    idea = submitted(cycle=cycle, subject=product.subject, product=product)
    before = Product.objects.count()

    idea_select(idea=idea, by=officer)

    idea.refresh_from_db()
    assert (idea.product, Product.objects.count()) == (product, before)


# ---------------------------------------------------------------------------------------------
# Who screens
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["huyen.nari", "tinh.backan", "htx.thienan", "hoidong.1"])
def test_only_the_district_officer_screens_bach_thong_ideas(cycle, users, username):
    idea = submitted(cycle=cycle)

    with pytest.raises(PermissionDenied):
        idea_select(idea=idea, by=users[username])

    idea.refresh_from_db()
    assert idea.status == IdeaStatus.SUBMITTED


def test_commune_under_the_province_is_screened_by_the_province_office(thai_nguyen, users):
    commune = unit("19102")
    idea = submitted(cycle=thai_nguyen["cycle"], subject=SubjectFactory(commune=commune), commune=commune)
    for outsider in (users["tinh.backan"], users["huyen.bachthong"]):
        with pytest.raises(PermissionDenied):
            idea_select(idea=idea, by=outsider)

    idea_select(idea=idea, by=thai_nguyen["staff"])
    sent = ideas_send(ideas=[idea], by=thai_nguyen["staff"])

    idea.refresh_from_db()
    assert (idea.status, sent.unit, sent.cycle) == (IdeaStatus.SENT, thai_nguyen["province"], thai_nguyen["cycle"])


# ---------------------------------------------------------------------------------------------
# Sending the list
# ---------------------------------------------------------------------------------------------


def selected(officer, **kwargs) -> ProductIdea:
    idea = submitted(**kwargs)
    return idea_select(idea=idea, by=officer)


def test_ideas_send_makes_one_list_of_the_selected_ideas(cycle, officer):
    ideas = [selected(officer, cycle=cycle) for _ in range(3)]

    sent = ideas_send(ideas=ideas[:2], by=officer, note="Danh sách đợt 1")

    assert (sent.cycle, sent.unit.code, sent.sent_by, sent.note) == (cycle, "063", officer, "Danh sách đợt 1")
    assert sorted(sent.ideas.values_list("pk", flat=True)) == sorted(i.pk for i in ideas[:2])
    assert list(ProductIdea.objects.filter(pk__in=[i.pk for i in ideas]).order_by("pk")
                .values_list("status", flat=True)) == [IdeaStatus.SENT, IdeaStatus.SENT, IdeaStatus.SELECTED]
    assert transition_messages(ideas[0])[-1] == "Đã gửi lên tỉnh trong danh sách của Bạch Thông"
    assert audit_trail_for(sent).get().message == "Đã gửi 2 ý tưởng lên tỉnh"


def test_ideas_send_refuses_ideas_that_are_not_selected(cycle, officer):
    good = selected(officer, cycle=cycle)
    waiting = submitted(cycle=cycle, product_name="Chè Shan tuyết")

    with pytest.raises(ValidationError) as caught:
        ideas_send(ideas=[good, waiting], by=officer)

    assert caught.value.message_dict == {"ideas": [
        "“Chè Shan tuyết” đang ở trạng thái “Đã gửi xét chọn”; chỉ gửi được ý tưởng đã chọn."]}
    assert IdeaList.objects.count() == 0
    good.refresh_from_db()
    assert good.status == IdeaStatus.SELECTED


def test_ideas_send_twice_is_refused_the_second_time(cycle, officer):
    idea = selected(officer, cycle=cycle, product_name="Miến dong")
    ideas_send(ideas=[idea], by=officer)

    with pytest.raises(ValidationError) as caught:
        ideas_send(ideas=[idea], by=officer)

    assert caught.value.messages == ["“Miến dong” đang ở trạng thái “Đã gửi lên tỉnh”; chỉ gửi được ý tưởng đã chọn."]
    assert IdeaList.objects.count() == 1


def test_ideas_send_refuses_another_district_ideas(cycle, officer, users):
    nari = users["huyen.nari"]
    commune = unit("01966")
    theirs = selected(nari, cycle=cycle, subject=SubjectFactory(commune=commune), commune=commune,
                      product_name="Bánh khảo Kim Lư")

    with pytest.raises(ValidationError) as caught:
        ideas_send(ideas=[theirs], by=officer)

    assert caught.value.messages == ["“Bánh khảo Kim Lư” không thuộc địa bàn của bạn."]


def test_ideas_send_refuses_ideas_of_two_cycles(cycle, officer):
    ideas = [selected(officer, cycle=cycle), selected(officer, cycle=backan_cycle(2024))]

    with pytest.raises(ValidationError) as caught:
        ideas_send(ideas=ideas, by=officer)

    assert caught.value.messages == [
        "Mỗi danh sách chỉ gồm ý tưởng của một chu trình: hãy gửi riêng ý tưởng của từng chu trình."]


def test_ideas_send_without_ideas_is_refused(officer):
    with pytest.raises(ValidationError) as caught:
        ideas_send(ideas=[], by=officer)

    assert caught.value.messages == ["Hãy đánh dấu ít nhất một ý tưởng đã chọn."]


def test_every_transition_is_audited_with_its_actor(cycle, officer):
    idea = IdeaFactory(cycle=cycle, attached=True)

    idea_submit(idea=idea, by=officer)
    idea_select(idea=idea, by=officer)
    ideas_send(ideas=[idea], by=officer)

    entries = AuditEntry.objects.filter(object_id=idea.pk, content_type__model="productidea",
                                        action=AuditAction.TRANSITION).order_by("at", "id")
    assert [(e.actor, e.changes["status"]) for e in entries] == [
        (officer, ["draft", "submitted"]), (officer, ["submitted", "selected"]), (officer, ["selected", "sent"])]
