"""WSGI entry point (gunicorn ocop.wsgi)."""
import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop.settings")
application = get_wsgi_application()

# Move everything loaded so far (Django, the apps, WeasyPrint once imported) out of the collector's reach:
# without it, every few requests a full collection walks that whole heap (about 100 ms once a certificate
# PDF has been rendered in the process).
gc.collect()
gc.freeze()
