"""Who is calling: the client's IP address, behind as many proxies as the settings trust."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The caller's address. With ``TRUSTED_PROXY_COUNT`` = n reverse proxies in front (nginx,
    a load balancer), the n-th address from the right of ``X-Forwarded-For`` is the one the
    first trusted proxy saw; addresses further left can be forged by the client."""
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies and _is_address(forwarded[-proxies]):
            return forwarded[-proxies]
        # Not an address (a client writing the header itself where fewer proxies stand than
        # configured): the sign-in lockout and the audit log store addresses, and PostgreSQL
        # refused "garbage" there with a 500. The connection's own address is used instead.
    return request.META.get("REMOTE_ADDR") or None  # None: a request built in code


def _is_address(text: str) -> bool:
    """An IPv4 or IPv6 address PostgreSQL's inet type takes (no IPv6 zone: "fe80::1%eth0")."""
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return False
    return getattr(address, "scope_id", None) is None
