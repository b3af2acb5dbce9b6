"""Who a request comes from, and the write throttle that counts per client.

Two things make a rate limit hold under hostile traffic, and DRF's own throttles do neither:

- The client's address comes from `REMOTE_ADDR`, or, behind `NUM_PROXIES` trusted proxies
  (`DJANGO_NUM_PROXIES`, default none), from the entry those proxies appended to
  `X-Forwarded-For`. Anything further left was written by the client and is never believed: with
  DRF's default a client that sends a new `X-Forwarded-For` each time is a new client each time.
- The count is one atomic step in the shared cache (django-ratelimit: `add`, then `incr` on a
  window per key), so N concurrent requests against a limit L admit at most L. DRF keeps a list
  it reads and writes back, and concurrent requests overwrite each other's entries.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from django.http import HttpRequest
from django_ratelimit.core import get_usage
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

# One client behind an IPv6 address usually holds the whole /64: count it as one.
IPV6_CLIENT_PREFIX = 64


def client_address(request: HttpRequest) -> str:
    """The address of the client, as far as this deployment's proxies vouch for it.

    With N trusted proxies each appends the address it was reached from, so the client is the
    Nth entry from the right of `X-Forwarded-For`. An entry that is not an address (a proxy that
    writes `unknown`, say) falls back to the nearest proxy's address: one bucket for all such
    requests, never one the client chooses.
    """
    remote = str(request.META.get("REMOTE_ADDR") or "")
    proxies = int(api_settings.NUM_PROXIES or 0)
    candidate = remote
    if proxies:
        forwarded = [
            entry.strip()
            for entry in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
            if entry.strip()
        ]
        if forwarded:
            candidate = forwarded[-min(proxies, len(forwarded))]
    try:
        address = ipaddress.ip_address(candidate)
    except ValueError:
        return remote or "unknown"
    if address.version == 6:
        network = ipaddress.ip_network(f"{address}/{IPV6_CLIENT_PREFIX}", strict=False)
        return str(network.network_address)
    return str(address)


class WriteRateThrottle(SimpleRateThrottle):
    """Throttle unsafe methods only, per user (or, anonymous, per client address), at the
    `writes` rate (`DJANGO_WRITE_THROTTLE_RATE`).

    While Redis is down the throttle fails open, deliberately (`RATELIMIT_FAIL_OPEN`): the cache
    cannot count, so the write is allowed. The limit is a guard against bursts, not a security
    boundary (writes need an account and CSRF or a token, sign-ups a valid form); refusing every
    write until Redis is back would turn a cache outage into a write outage.
    tests/blog/test_redis_faults.py holds the choice in place.
    """

    scope = "writes"

    def __init__(self) -> None:
        super().__init__()
        self.seconds_left = 0

    def get_cache_key(self, request: Request, view: Any) -> str:
        user = request.user
        if user is not None and user.is_authenticated:
            return f"user:{user.pk}"
        return f"address:{client_address(request._request)}"

    def allow_request(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        limit, seconds = self.parse_rate(self.rate)
        if limit is None or seconds is None:
            return True
        key = self.get_cache_key(request, view)
        usage = get_usage(
            request._request,
            group=f"throttle-{self.scope}",
            key=lambda _group, _request: key,
            rate=(limit, seconds),
            increment=True,
        )
        if usage is None:  # the cache could not count: fail open (see the class docstring)
            return True
        self.seconds_left = max(int(usage["time_left"]), 1)
        return not usage["should_limit"]

    def wait(self) -> float:
        return float(self.seconds_left)
