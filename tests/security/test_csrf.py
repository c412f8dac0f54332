"""Every view refuses a POST without the CSRF token, and every form that posts carries the token.

The URLs come from the URL configuration: those that take a record use the scope matrix's records (Bạch
Thông's) and the user who may use them, the others the administrator (or an anonymous visitor for the
login and password-reset pages). Django admin (Django's own tests) and the
public GET-only endpoints are left out.
"""
import pytest
from django.urls import reverse

from .site import PUBLIC_GET_ONLY, PageScan, checked_names, named_patterns, page_names, url_and_user


def is_csrf_failure(response) -> bool:
    return response.status_code == 403 and b"CSRF" in response.content


def test_no_view_is_exempt_from_csrf():
    exempt = sorted(name for name, pattern in named_patterns()
                    if getattr(pattern.callback, "csrf_exempt", False) and name not in PUBLIC_GET_ONLY)
    assert exempt == []


@pytest.mark.parametrize("name", checked_names())
def test_post_without_the_csrf_token_is_refused(world, name):
    url, username = url_and_user(world, name)
    client = world.client(username, enforce_csrf_checks=True)
    response = client.post(url, {})
    assert is_csrf_failure(response), (url, response.status_code)
    # The same POST with the token is not refused for CSRF (so the refusal above was the token's).
    client.get(reverse("login") if username is None else reverse("home"))
    token = client.cookies["csrftoken"].value
    with_token = client.post(url, {"csrfmiddlewaretoken": token})
    assert not is_csrf_failure(with_token), (url, with_token.status_code)


@pytest.mark.parametrize("name", page_names())
def test_every_form_that_posts_carries_the_token(world, name):
    url, username = url_and_user(world, name)
    response = world.client(username).get(url)
    assert (response.status_code, response["Content-Type"]) == (200, "text/html; charset=utf-8"), url
    forms = PageScan(response.content.decode()).forms
    assert [form["action"] for form in forms if not form["token"]] == []


def test_csrf_failure_page_speaks_vietnamese(world):
    response = world.client("huyen.bachthong", enforce_csrf_checks=True).post(reverse("subjects:create"), {})
    assert is_csrf_failure(response)
    assert '<html lang="vi">' in response.content.decode()
