"""WSGI entry point."""

import os

from config.web import single_threaded_blas

single_threaded_blas()  # before Django loads the app (and numpy): see config/web.py

from django.core.wsgi import get_wsgi_application  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
