"""Observability: a request id on every log line, JSON lines, Sentry from the environment, 500s mailed to ADMINS."""
import gzip
import http.server
import io
import json
import logging
import os
import subprocess
import sys
import threading

import brotli
import pytest
from django.test import Client
from django.urls import path

from ocop.observability import RequestIdFilter, admins_from


def _boom(request):
    raise RuntimeError("hỏng")


urlpatterns = [path("boom/", _boom)]


@pytest.fixture
def json_log():
    """The console handler the settings configure, writing JSON into a buffer for the test to read."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    handler = next(h for h in logging.getLogger().handlers if any(isinstance(f, RequestIdFilter) for f in h.filters))
    spec = dict(settings.LOGGING["formatters"]["json"])
    formatter = import_string(spec.pop("()"))(fmt=spec.pop("format"), **spec)
    buffer, old_stream, old_formatter = io.StringIO(), handler.stream, handler.formatter
    handler.setStream(buffer)
    handler.setFormatter(formatter)
    yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    handler.setStream(old_stream)
    handler.setFormatter(old_formatter)


@pytest.mark.django_db
def test_every_line_of_a_request_carries_its_id_and_the_response_sends_it(client, json_log):
    response = client.get("/khong-co-trang-nay/", HTTP_X_REQUEST_ID="nginx-req-0042abcd")
    assert response.status_code == 404
    assert response["X-Request-ID"] == "nginx-req-0042abcd"
    lines = [line for line in json_log() if line["logger"] == "django.request"]
    assert lines and lines[0]["request_id"] == "nginx-req-0042abcd" and lines[0]["level"] == "WARNING"
    assert "Not Found" in lines[0]["msg"] and {"ts", "level", "logger", "request_id", "msg"} <= set(lines[0])


@pytest.mark.django_db
def test_a_task_run_inside_a_request_gives_the_request_its_id_back():
    """Without a broker a task runs in the request that queued it: its lines carry the task id, the request's
    later lines the request's own again."""
    from ocop.observability import current_request_id, request_finished, request_started
    from ocop.tasks import outbox_sweep

    request_started(None, environ={"HTTP_X_REQUEST_ID": "nginx-req-0043abcd"})
    seen = []
    handler = logging.Handler()
    handler.addFilter(RequestIdFilter())
    handler.emit = lambda record: seen.append(record.request_id)
    logging.getLogger("ocop.test").addHandler(handler)
    try:
        result = outbox_sweep.apply()
        logging.getLogger("ocop.test").warning("after the task")
    finally:
        logging.getLogger("ocop.test").removeHandler(handler)
    assert result.successful() and current_request_id() == "nginx-req-0043abcd"
    assert seen == ["nginx-req-0043abcd"]
    request_finished(None)
    assert current_request_id() == "-"


@pytest.mark.django_db
def test_a_request_without_a_sane_id_gets_one_of_its_own(client):
    made = client.get("/accounts/login/", HTTP_X_REQUEST_ID="x y\nz")["X-Request-ID"]
    assert len(made) == 32 and made.isalnum()
    assert client.get("/accounts/login/")["X-Request-ID"] not in ("", made)


def test_admins_are_read_as_name_and_address():
    assert admins_from("Trung tâm CNTT <it@backan.gov.vn>, ops@ocop.vn") == [
        ("Trung tâm CNTT", "it@backan.gov.vn"), ("ops@ocop.vn", "ops@ocop.vn")]
    assert admins_from("") == []


@pytest.mark.django_db
def test_a_server_error_is_mailed_to_the_admins(settings, mailoutbox):
    settings.ROOT_URLCONF = __name__
    settings.ADMINS = admins_from("Trung tâm CNTT <it@backan.gov.vn>")
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert [m.to for m in mailoutbox] == [["it@backan.gov.vn"]]
    assert "RuntimeError" in mailoutbox[0].body and "/boom/" in mailoutbox[0].subject


def _settings_in_a_new_process(env: dict, code: str) -> str:
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "ocop.settings", **env}
    return subprocess.run([sys.executable, "-c", "import django; django.setup()\n" + code], env=environment,
                          capture_output=True, text=True, check=True, timeout=60).stdout


def test_admins_and_log_format_come_from_the_environment():
    out = _settings_in_a_new_process({"ADMINS": "CNTT <it@backan.gov.vn>", "LOG_FORMAT": "json"}, (
        "from django.conf import settings as s; import logging\n"
        "print(s.ADMINS, s.SENTRY_ENABLED)\n"
        "logging.getLogger('ocop').warning('Chào %s', 'tỉnh')"))
    assert out.strip() == "[('CNTT', 'it@backan.gov.vn')] False"


def test_an_error_reaches_sentry_when_a_dsn_is_set():
    """A local stand-in for Sentry's ingestion endpoint receives the SDK's real envelope."""
    received = []

    class Ingest(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            encoding = self.headers.get("Content-Encoding", "")
            received.append(brotli.decompress(body) if encoding == "br" else
                            gzip.decompress(body) if encoding == "gzip" else body)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Ingest)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        dsn = f"http://publickey@127.0.0.1:{server.server_port}/7"
        out = _settings_in_a_new_process({"SENTRY_DSN": dsn, "SENTRY_ENVIRONMENT": "ci"}, (
            "import sentry_sdk\nfrom django.conf import settings\nprint(settings.SENTRY_ENABLED)\n"
            "try:\n    1 / 0\nexcept ZeroDivisionError:\n    sentry_sdk.capture_exception()\n"
            "sentry_sdk.flush(timeout=10)"))
    finally:
        server.shutdown()
    assert out.strip() == "True"
    body = b"".join(received)
    assert b"ZeroDivisionError" in body and b'"environment":"ci"' in body.replace(b" ", b"")
