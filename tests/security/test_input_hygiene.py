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
