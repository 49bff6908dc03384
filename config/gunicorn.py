"""gunicorn settings for ``bin/serve`` (the production web server), driven by environment.

Processes: ``WEB_WORKERS`` (default: 2 × CPUs + 1), each with ``WEB_THREADS`` threads
(default 4) sharing one bounded database pool (``DB_POOL_MAX_SIZE``, see config/settings.py).
``kill -HUP`` the master for a graceful restart (new code, no dropped requests); SIGTERM
finishes the requests in flight, then stops.
"""

from __future__ import annotations

import multiprocessing
import os

from mentorbridge.core.limits import REQUEST_LINE_MAX_BYTES

bind = os.environ.get(
    "BIND", f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
)
workers = int(os.environ.get("WEB_WORKERS", "0")) or multiprocessing.cpu_count() * 2 + 1
threads = int(os.environ.get("WEB_THREADS", "4"))
worker_class = "gthread"
keepalive = int(os.environ.get("WEB_KEEPALIVE", "5"))  # seconds an idle client keeps its socket
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))  # a request longer than this is killed
graceful_timeout = 30  # SIGTERM/HUP: requests in flight get this long to finish
max_requests = 5000  # recycle workers now and then (memory), staggered by the jitter
max_requests_jitter = 500
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("WEB_ACCESS_LOG", "-") or None  # empty: no access log
errorlog = "-"
proc_name = "mentorbridge-web"
# Longer request lines get 414 (documented in the OpenAPI schema); every valid API request fits.
limit_request_line = REQUEST_LINE_MAX_BYTES
