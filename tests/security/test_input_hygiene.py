"""Input hygiene at one place (issue 14, item 4): what an address may hold, how list filters read numbers.

A control character (NUL above all: PostgreSQL refuses it in a string, so it was a server error wherever a
parameter reached a query) or an overlong value in the address is refused by ocop.middleware's
AddressHygieneMiddleware with a Vietnamese page; a number in the path above any key is a 404; a filter or a
record named in the query string by something that is not a plain number is ignored.
"""
import pytest
from django.urls import reverse

from ocop.validators import record_key

CONTROL = "Địa chỉ có ký tự điều khiển (như NUL) nên không đọc được"


@pytest.mark.parametrize(("username", "url"), [
    (None, "/catalog/?q=%00"),
    (None, "/catalog/?%00=1"),
    (None, "/verify/%00/"),
    (None, "/verify/?number=015%00"),
    (None, "/accounts/login/?next=/%00"),
    ("huyen.bachthong", "/units/?q=%00"),
    ("huyen.bachthong", "/dashboard/?unit=%00"),
    ("huyen.bachthong", "/subjects/?q=HTX%1b%5B31m"),
    ("huyen.bachthong", "/certificates/?q=a%7Fb"),
    ("huyen.bachthong", "/units/06%00/"),
])
def test_control_character_in_the_address_is_a_vietnamese_400(world, username, url):
    response = world.client(username).get(url)
    assert response.status_code == 400
    page = response.content.decode()
    assert CONTROL in page and '<html lang="vi">' in page


def test_control_character_in_an_api_address_is_a_json_400(world):
    response = world.client().get("/api/v1/products/?q=%00")
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert CONTROL in response.json()["error"]


def test_overlong_value_in_the_address_is_a_400(world):
    response = world.client().get("/catalog/", {"q": "mien " * 401})
    assert response.status_code == 400
    assert "Một giá trị trong địa chỉ dài hơn 2000 ký tự nên không đọc được." in response.content.decode()


def test_search_with_a_direction_character_is_still_answered(world):
    """U+202E is no control character: the search runs (names refuse it, see below)."""
    response = world.client().get("/catalog/", {"q": "\u202eMiến"})
    assert response.status_code == 200 and "Danh mục sản phẩm OCOP" in response.content.decode()


@pytest.mark.parametrize("pasted", ["HTX Thiên An\t4700123456", "HTX Thiên An\r\n"])
def test_search_pasted_from_excel_with_a_tab_or_line_break_is_answered(world, pasted):
    """Cells copied from a spreadsheet bring a tab or a line break into the search box: white space, not an
    address to refuse (NUL and the other control characters still are)."""
    response = world.client("huyen.bachthong").get("/subjects/", {"q": pasted})
    assert response.status_code == 200 and "Chủ thể" in response.content.decode()


@pytest.mark.parametrize(("username", "url"), [
    (None, "/catalog/9223372036854775808/"),
    ("huyen.bachthong", "/subjects/99999999999999999999/"),
    ("huyen.bachthong", "/products/9223372036854775808/"),
])
def test_number_above_any_key_in_the_path_is_a_404(world, username, url):
    response = world.client(username).get(url)
    assert response.status_code == 404


# ---------------------------------------------------------------------------------------------
# Filters and records named in the query string: what is not a plain number is ignored
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("username", "url", "shown"), [
    # "²" passes str.isdigit(), which guarded int(): int("²") raised ValueError, a server error.
    (None, "/catalog/?set=²", "Danh mục sản phẩm OCOP"),
    ("huyen.bachthong", "/products/ideas/send/?cycle=²", "Gửi ý tưởng đã chọn lên tỉnh"),
    ("tinh.backan", "/products/ideas/lists/?cycle=²", "Danh sách ý tưởng được chọn đã nhận"),
    ("tinh.backan", "/products/ideas/lists/?cycle=99999999999999999999", "Danh sách ý tưởng được chọn đã nhận"),
])
def test_filter_that_is_no_plain_number_is_ignored(world, username, url, shown):
    response = world.client(username).get(url)
    assert response.status_code == 200 and shown in response.content.decode()


def test_api_product_set_that_is_no_plain_number_is_ignored(world):
    client = world.client()
    everything = client.get("/api/v1/products/").json()["count"]
    assert client.get("/api/v1/products/?set=²").json()["count"] == everything


def test_subject_products_of_a_subject_that_is_no_plain_number_are_none(world):
    url = reverse("products:idea-subject-products") + "?subject=²"
    response = world.client("huyen.bachthong").get(url)
    assert response.status_code == 200 and "<option" not in response.content.decode().replace(
        '<option value="">', "")


def test_removing_a_photo_that_is_no_plain_number_is_a_404(world):
    product = world.areas["bachthong"].product
    response = world.client("huyen.bachthong").post(reverse("products:photos", args=[product.pk]), {"remove": "²"})
    assert response.status_code == 404


@pytest.mark.parametrize(("value", "key"), [
    ("12", 12), ("0012", 12), ("9223372036854775807", 9223372036854775807),
    ("0", None), ("-1", None), ("²", None), ("٣", None), ("1.5", None), (" 1", None), ("", None), (None, None),
    ("9223372036854775808", None), ("9" * 5000, None),
])
def test_record_key_reads_plain_numbers_within_the_key_column(value, key):
    assert record_key(value) == key


# ---------------------------------------------------------------------------------------------
# Names refuse control characters and characters that change the direction of the text
# ---------------------------------------------------------------------------------------------

HIDDEN = ("Hãy xoá ký tự ẩn U+202E: tên không được chứa ký tự điều khiển hoặc ký tự đổi chiều hiển thị văn "
          "bản.")

# Every field that holds the name of a subject, product, idea, unit, cycle, council, event, sales point or
# person: what the guard below finds, and what the validator must be on.
NAME_FIELDS = [
    ("subjects.Subject", "name"), ("subjects.Subject", "legal_representative"),
    ("products.ProductSet", "name"), ("products.Standard", "name"), ("products.Product", "name"),
    ("products.ProductIdea", "product_name"),
    ("evaluation.Council", "name"), ("evaluation.AdvisoryMember", "name"), ("evaluation.Decision", "signer"),
    ("certificates.Certificate", "authority_name"), ("certificates.Certificate", "signer"),
    ("promotion.PromotionEvent", "name"), ("promotion.PromotionEvent", "organiser"),
    ("promotion.SalesPoint", "name"), ("promotion.SalesPoint", "operator"),
    ("ocop.AdministrativeUnit", "name"), ("ocop.Cycle", "name"), ("ocop.Round", "name"),
    ("ocop.User", "first_name"), ("ocop.User", "last_name"),
]
# Fields called "..._name" that are no names people type: the names of uploaded files (kept as uploaded, for
# the download; shown escaped).
NOT_NAMES = {("products.IdeaAttachment", "original_name"), ("products.BusinessPlan", "document_name"),
             ("products.DossierDocument", "original_name"), ("certificates.InspectionFile", "original_name")}


def _project_models():
    from django.apps import apps

    return [m for m in apps.get_models()
            if m._meta.app_label in {"ocop", "subjects", "products", "evaluation", "certificates", "promotion"}]


def test_every_name_field_refuses_hidden_characters():
    from django.db import models

    from ocop.validators import validate_name

    found = {(m._meta.label, f.name) for m in _project_models() for f in m._meta.get_fields()
             if isinstance(f, models.CharField) and (f.name == "name" or f.name.endswith("_name"))}
    assert found - NOT_NAMES <= set(NAME_FIELDS), "a new name field: add it to NAME_FIELDS, with validate_name"
    missing = [(label, name) for label, name in NAME_FIELDS
               if validate_name not in _model(label)._meta.get_field(name).validators]
    assert missing == []


def _model(label):
    from django.apps import apps

    return apps.get_model(label)


@pytest.mark.parametrize(("label", "name"), NAME_FIELDS)
@pytest.mark.parametrize("hidden", ["\u202e", "\u2066", "\u200f", "\x00", "\x07", "\n", "\x9b"])
def test_name_with_a_hidden_character_is_refused(label, name, hidden):
    from django.core.exceptions import ValidationError

    field = _model(label)._meta.get_field(name)
    with pytest.raises(ValidationError) as refused:
        field.run_validators(f"Hợp tác xã {hidden}Bản Ven")
    assert [error.code for error in refused.value.error_list] == ["hidden_character"]
    field.run_validators("Hợp tác xã Nông sản Sĩ Bình – Chè Shan tuyết (Bắc Kạn), số 1")  # diacritics pass


def subject_post(commune, **overrides):
    return {"name": "Hợp tác xã Nông sản Sĩ Bình", "kind": "cooperative", "tax_code": "4700123456",
            "legal_representative": "Hoàng Văn Bình", "commune": commune.pk, "address": "Thôn Khuổi Chủ",
            "phone": "", "email": "", "founded_year": "2019", "members_count": "8", **overrides}


def test_subject_named_with_a_right_to_left_override_is_refused_beside_the_field(world):
    from subjects.models import Subject

    commune = world.areas["bachthong"].subject.commune
    response = world.client("huyen.bachthong").post(reverse("subjects:create"), subject_post(
        commune, name="Hợp tác xã \u202egnp.exe"))
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [HIDDEN]
    assert HIDDEN in response.content.decode()
    assert not Subject.objects.filter(tax_code="4700123456").exists()


def test_product_renamed_with_a_right_to_left_override_is_refused(world):
    from django.core.exceptions import ValidationError

    from products.services.catalog import product_update

    product = world.areas["bachthong"].product
    with pytest.raises(ValidationError) as refused:
        product_update(product=product, by=None, data={
            "name": "Gạo nếp \u202eKhẩu Nua", "product_set": product.product_set, "description": "",
            "commune": product.commune, "has_traceability": False, "traceability_method": ""})
    assert refused.value.message_dict["name"] == [HIDDEN]


def test_idea_named_with_a_right_to_left_override_is_refused(world):
    from django.core.exceptions import ValidationError

    from .conftest import new_idea

    records = world.areas["nari"]
    with pytest.raises(ValidationError) as refused:
        new_idea(cycle=records.idea.cycle, subject=records.subject, name="Miến \u202edong",
                 commune=records.subject.commune, by=world.users["huyen.nari"])
    assert refused.value.message_dict["product_name"] == [HIDDEN]


def test_users_full_name_with_a_right_to_left_override_is_refused_in_admin(world):
    user = world.users["huyen.nari"]
    response = world.client("admin").post(reverse("admin:ocop_user_change", args=[user.pk]), {
        "username": user.username, "first_name": "Văn \u202eA", "last_name": "Nguyễn", "email": user.email,
        "role": user.role, "unit": user.unit_id, "is_active": "on", "date_joined_0": "01/01/2024",
        "date_joined_1": "00:00:00"})
    assert response.status_code == 200 and HIDDEN in response.content.decode()
    user.refresh_from_db()
    assert user.first_name != "Văn \u202eA"


# ---------------------------------------------------------------------------------------------
# Numbers typed into forms fit their column (PostgreSQL's integer: 2147483647)
# ---------------------------------------------------------------------------------------------

TOO_BIG = "Giá trị phải nhỏ hơn hoặc bằng 2147483647."


def test_target_above_the_column_is_a_form_error_not_a_database_error(world):
    from promotion.models import Target

    response = world.client("tinh.backan").post("/promotion/targets/06/2024/", {"new_3_star": "2147483648",
                                                                               "traceability": "2147483647"})
    assert response.status_code == 200 and TOO_BIG in response.content.decode()
    assert not Target.objects.filter(unit__code="06", year=2024).exists()


def test_subject_members_above_the_column_is_a_form_error(world):
    from subjects.models import Subject

    commune = world.areas["bachthong"].subject.commune
    response = world.client("huyen.bachthong").post(reverse("subjects:create"), subject_post(
        commune, members_count="2147483648"))
    assert response.context["form"].errors["members_count"] == [TOO_BIG]
    assert not Subject.objects.filter(tax_code="4700123456").exists()


def test_training_participants_above_the_column_is_a_form_error(world):
    from promotion.models import TrainingEvent

    response = world.client("huyen.bachthong").post(reverse("promotion:training-create"), {
        "topic": "Tập huấn thử", "unit": world.areas["bachthong"].event.unit_id, "held_on": "01/03/2026",
        "participants_count": "2147483648"})
    assert response.context["form"].errors["participants_count"] == [TOO_BIG]
    assert not TrainingEvent.objects.filter(topic="Tập huấn thử").exists()


def test_booth_contracts_above_the_column_is_a_form_error(world):
    import datetime

    from promotion.models import Booth, PromotionEvent

    booth = world.areas["bachthong"].booth
    Booth.objects.filter(pk=booth.pk).update(status=Booth.Status.REGISTERED)  # the fair has begun
    today = datetime.date.today()
    PromotionEvent.objects.filter(pk=booth.event_id).update(starts_on=today - datetime.timedelta(days=1),
                                                            ends_on=today)
    response = world.client("huyen.bachthong").post(reverse("promotion:booth-results", args=[booth.pk]), {
        "code": "A1", "sales": "1000000", "contracts": "2147483648", "note": ""})
    assert response.context["form"].errors == {"contracts": [TOO_BIG]}, response.context["form"].errors
    booth.refresh_from_db()
    assert booth.contracts is None


def _project_forms():
    import importlib
    import pkgutil

    from django import forms

    for app in ("ocop", "subjects", "products", "evaluation", "certificates", "promotion"):
        module = importlib.import_module(f"{app}.forms")
        for info in pkgutil.iter_modules(getattr(module, "__path__", [])):
            importlib.import_module(f"{app}.forms.{info.name}")

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    return [form for form in subclasses(forms.BaseForm) if form.__module__.split(".")[0] in
            {"ocop", "subjects", "products", "evaluation", "certificates", "promotion"}]


# Integer fields of forms that name a record (looked up, never stored) or carry a version to compare.
RECORD_KEYS = {"AssignProductForm.product", "ScoreForm.criterion", "ScoreForm.option", "NoteForm.criterion",
               "IdeaForm.version", "CertificateFilterForm.set"}


def test_every_integer_a_form_takes_is_bounded_by_its_column():
    """A model field a form edits carries its column's bound (not only PostgreSQL's, which SQLite lacks), and a
    form's own integer field a max_value, unless it names a record."""
    from django import forms
    from django.core.validators import MaxValueValidator
    from django.db import models

    from ocop.validators import INTEGER_MAX, SMALL_INTEGER_MAX

    unbounded = []
    for form in _project_forms():
        model = getattr(getattr(form, "_meta", None), "model", None)
        for name, field in form.base_fields.items():
            model_field = next((f for f in (model._meta.get_fields() if model else []) if f.name == name), None)
            if isinstance(model_field, models.IntegerField) and not model_field.choices:
                limit = SMALL_INTEGER_MAX if "Small" in model_field.get_internal_type() else INTEGER_MAX
                if not any(isinstance(v, MaxValueValidator) and v.limit_value <= limit
                           for v in model_field._validators):
                    unbounded.append(f"{form.__name__}.{name}")
            elif isinstance(field, forms.IntegerField) and model_field is None and field.max_value is None:
                if f"{form.__name__}.{name}" not in RECORD_KEYS:
                    unbounded.append(f"{form.__name__}.{name}")
    assert unbounded == []
