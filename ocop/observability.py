"""What a province's IT team reads when something goes wrong: one request id on every log line of a request
(and the task id on every line of a Celery task), JSON log lines, errors sent to Sentry when a DSN is given,
500s mailed to ADMINS.

The id comes from the proxy's `X-Request-ID` when it sends a sane one (nginx: `proxy_set_header X-Request-ID
$request_id;`), so that the proxy's access log and the application's lines share it; otherwise one is made. It is
sent back in the response's `X-Request-ID`.
"""
import contextvars
import logging
import re
import uuid
from email.utils import getaddresses

_request_id = contextvars.ContextVar("request_id", default="-")
_SANE_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


def current_request_id() -> str:
    return _request_id.get()


def request_started(sender, environ=None, **kwargs):
    """Django's request_started: the id holds from the first line of a request to its last, the handler's own
    "Not Found"/"Internal Server Error" line after the middleware included."""
    given = (environ or {}).get("HTTP_X_REQUEST_ID", "")
    _request_id.set(given if _SANE_ID.fullmatch(given) else uuid.uuid4().hex)


def request_finished(sender, **kwargs):
    _request_id.set("-")


class RequestIdMiddleware:
    """Put the request's id on the request and send it back in X-Request-ID."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _request_id.get() == "-":  # a request that did not go through a handler (RequestFactory)
            request_started(None, environ=request.META)
        request.id = _request_id.get()
        response = self.get_response(request)
        response["X-Request-ID"] = request.id
        return response


class RequestIdFilter(logging.Filter):
    """Put the current request's (or task's) id on the record as `request_id`."""

    def filter(self, record):
        record.request_id = _request_id.get()
        return True


_task_tokens: dict[str, contextvars.Token] = {}


def task_id_as_request_id(task_id=None, **kwargs):
    """Celery's task_prerun: a task's lines carry its task id in the request_id field."""
    _task_tokens[task_id] = _request_id.set(task_id or "-")


def task_id_dropped(task_id=None, **kwargs):
    """Celery's task_postrun: back to the id before the task, so that a task run eagerly inside a request (no
    broker, or the outbox's hand-over) leaves the request's later lines with the request's own id."""
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        try:
            _request_id.reset(token)
        except ValueError:  # set in another context (a worker's thread): nothing to go back to
            _request_id.set("-")


def admins_from(value: str) -> list[tuple[str, str]]:
    """ADMINS from "Tên <a@b.vn>, c@d.vn": the people Django mails a server error to."""
    return [(name or address, address) for name, address in getaddresses([value]) if "@" in address]


def sentry_init(dsn: str, *, environment: str, traces_sample_rate: float, release: str = "") -> bool:
    """Send errors (and a sample of traces) to Sentry when a DSN is set; nothing leaves the server otherwise.
    No personal data: users are sent by id only, request bodies never."""
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(dsn=dsn, environment=environment, release=release or None,
                    traces_sample_rate=traces_sample_rate, send_default_pii=False, max_request_body_size="never",
                    integrations=[DjangoIntegration(), CeleryIntegration()])
    return True
