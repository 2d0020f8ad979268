"""WSGI entry point (``ris3 workspace serve`` serves it with waitress)."""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ris3.workspace.settings")

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
