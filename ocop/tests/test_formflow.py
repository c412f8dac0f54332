"""ocop.formflow.acted_by: a button's post to a service, its refusal or its success shown in the page's messages."""
import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.utils import translation

from ocop import services
from ocop.formflow import acted_by
from ocop.selectors import audit_trail_for
from ocop.tests.factories import CycleFactory, UserFactory

pytestmark = pytest.mark.django_db


def _post():
    request = RequestFactory().post("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _shown(request) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in get_messages(request)]


def test_acted_by_refusal_shows_its_message_and_saves_nothing():
    cycle, user = CycleFactory(current_step=2), UserFactory()
    request = _post()

    with translation.override("vi"):
        result = acted_by(request, lambda: services.cycle_set_current_step(cycle=cycle, step=9, by=user),
                          "Đã chuyển bước hiện tại.")

    assert result is None
    assert _shown(request) == [("error", "Bước không hợp lệ.")]
    cycle.refresh_from_db()
    assert cycle.current_step == 2
    assert list(audit_trail_for(cycle).values_list("message", flat=True)) == []


def test_acted_by_success_shows_the_success_text_and_returns_what_the_service_returned():
    cycle, user = CycleFactory(current_step=2), UserFactory()
    request = _post()

    with translation.override("vi"):
        result = acted_by(request, lambda: services.cycle_set_current_step(cycle=cycle, step=3, by=user),
                          lambda saved: "Chu kỳ %s đang ở bước %s." % (saved.name, saved.current_step))

    assert result == cycle
    assert _shown(request) == [("success", f"Chu kỳ {cycle.name} đang ở bước 3.")]
    cycle.refresh_from_db()
    assert cycle.current_step == 3
    assert list(audit_trail_for(cycle).values_list("message", flat=True)) == ["Bước hiện tại: 2 → 3"]


def test_acted_by_refusal_text_can_be_worded_by_the_view():
    cycle, user = CycleFactory(current_step=2), UserFactory()
    request = _post()

    with translation.override("vi"):
        acted_by(request, lambda: services.cycle_set_current_step(cycle=cycle, step=9, by=user),
                 refusal=lambda exc: f"{cycle.name}: {' '.join(exc.messages)}")

    assert _shown(request) == [("error", f"{cycle.name}: Bước không hợp lệ.")]


def test_acted_by_service_returning_nothing_is_told_apart_from_a_refusal():
    request = _post()

    assert acted_by(request, lambda: None, "Đã xoá.") is True
    assert _shown(request) == [("success", "Đã xoá.")]
