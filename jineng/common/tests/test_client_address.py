"""The client address recorded in the audit trail: X-Forwarded-For is believed only from a trusted proxy."""

from __future__ import annotations

from django.test import RequestFactory

from jineng.common.middleware import client_address


def _request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.JINENG_TRUSTED_PROXIES = []
    assert client_address(_request("10.0.0.5", "1.2.3.4")) == "10.0.0.5"


def test_behind_a_trusted_proxy_the_last_untrusted_hop_is_the_client(settings):
    settings.JINENG_TRUSTED_PROXIES = ["10.0.0.5", "10.0.0.6"]
    # a client can prepend anything; only the hop the trusted proxies appended counts
    assert client_address(_request("10.0.0.5", "6.6.6.6, 1.2.3.4, 10.0.0.6")) == "1.2.3.4"


def test_a_trusted_proxy_without_the_header_is_itself_the_address(settings):
    settings.JINENG_TRUSTED_PROXIES = ["10.0.0.5"]
    assert client_address(_request("10.0.0.5")) == "10.0.0.5"
