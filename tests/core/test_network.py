"""The caller's address behind trusted proxies: only what PostgreSQL's inet column takes."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from mentorbridge.core.network import client_ip


@pytest.mark.parametrize(
    "forwarded",
    ["garbage", "fe80::1%eth0", "fe80::1%25eth0", "1.2.3.4\x00", "2001:db8::1%1"],
)
def test_a_forwarded_address_postgresql_cannot_store_counts_the_connections_address(
    forwarded: str, settings: pytest.FixtureRequest
) -> None:
    # an IPv6 address with a zone ("%eth0") is an address to Python but not to PostgreSQL's
    # inet type: storing it in the audit log or the sign-in lockout was a 500
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == "10.0.0.9"


@pytest.mark.parametrize("forwarded", ["203.0.113.7", "2001:db8::1", "::ffff:203.0.113.7"])
def test_a_forwarded_address_is_used_behind_a_trusted_proxy(
    forwarded: str, settings: pytest.FixtureRequest
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR=f"198.51.100.1, {forwarded}"
    )
    assert client_ip(request) == forwarded
