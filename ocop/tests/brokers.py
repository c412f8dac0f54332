"""Celery pointed at another broker for one test: a real Redis that is down, or one that hangs."""
import contextlib
import os
import socket

BROKER_DOWN = "redis://127.0.0.1:1/0"  # nothing listens on port 1: every connection is refused at once


@contextlib.contextmanager
def celery_broker(url: str | None, *, eager: bool = False):
    """Celery publishing to `url` (not eagerly, unless `eager`) inside the block, as configured before after it.

    The app's connection pools are dropped both ways, so that `.delay()` too uses the broker of the moment, and
    the outbox forgets the brokers it found down."""
    from ocop import outbox
    from ocop.celery import app

    def configure(broker_url, environ_url, always_eager):
        # Celery reads CELERY_BROKER_URL from the environment before its configuration (CI's Redis leg sets it).
        if environ_url is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = environ_url
        app.conf.broker_url, app.conf.task_always_eager = broker_url, always_eager
        app._pool = app.amqp._producer_pool = None
        outbox._paused_until.clear()

    saved = app.conf.get("broker_url"), os.environ.get("CELERY_BROKER_URL"), app.conf.task_always_eager
    configure(url, url, eager)
    try:
        yield app
    finally:
        configure(*saved)


@contextlib.contextmanager
def hanging_broker():
    """A TCP port that accepts connections (the kernel's backlog) and never answers: a broker that hangs.
    Yields its redis:// URL."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    try:
        yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"
    finally:
        listener.close()
