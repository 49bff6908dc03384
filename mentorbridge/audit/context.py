"""Who is acting in the current request, for the audit log: set by
:class:`AuditContextMiddleware`, read by :func:`mentorbridge.audit.services.audit_record`.

The request itself is kept (not its user) because the API signs token callers in after the
middleware ran: ``request.user`` is read when the event is recorded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest, HttpResponseBase

from mentorbridge.core.network import client_ip

_current_request: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)


def current_actor() -> tuple[Any, str | None]:
    """(the signed-in user or ``None``, the client's IP address or ``None``)."""
    request = _current_request.get()
    if request is None:
        return None, None
    user = getattr(request, "user", None)
    if user is not None and not user.is_authenticated:
        user = None
    return user, client_ip(request)


@contextmanager
def acting(request: HttpRequest) -> Iterator[None]:
    """Make ``request`` the source of the actor and IP for events recorded inside."""
    token = _current_request.set(request)
    try:
        yield
    finally:
        _current_request.reset(token)


class AuditContextMiddleware:
    """Makes the request's actor and IP available to :func:`audit_record` while it runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        with acting(request):
            return self.get_response(request)
