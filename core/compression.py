"""Compressed responses: Brotli where the client takes it, else gzip, for every response a cache
may share, and never for one that depends on who asks.

Why not for those: BREACH. An attacker who can make a victim's browser send requests (with the
victim's cookies) and can watch the sizes of the encrypted responses learns a secret in a
compressed body one character at a time, when the same body reflects something the attacker
chose. Django's answer for gzip is Heal the Breach, up to 100 random bytes in each gzip header
(GZipMiddleware does it; the gzip path here is GZipMiddleware's own), and a CSRF token masked
anew in every response. This middleware adds the rule Django's docs leave to the project:
a response marked `private` or `no-store` (core.cache_policy: the account endpoints, anything
seen signed in; Django's `never_cache`: the admin, the login page) is sent as it is. A response
marked public is the same bytes for everyone: it holds no one's secret to find.

Brotli at quality 5 (the bench measures it against gzip, bytes and CPU: docs/benchmarks.md) has
no HTB padding, which the rule makes unnecessary. Levels past 6 cost several times the CPU for a
few percent: they are for files compressed once (WhiteNoise's static files), not per response.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from http import HTTPStatus

import brotli
from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string

# Shorter bodies fit in a packet either way (GZipMiddleware's own threshold).
MIN_LENGTH = 200
BROTLI_QUALITY = 5
NEVER_COMPRESSED = ("private", "no-store")
# Text compresses; a PNG or a zip is compressed already, and would only cost CPU.
COMPRESSIBLE_TYPES = (
    "text/",
    "application/json",
    "application/problem+json",
    "application/x-ndjson",
    "application/javascript",
    "image/svg+xml",
)


def accepted_encodings(header: str) -> set[str]:
    """The codings an `Accept-Encoding` value accepts (`br;q=0` refuses br; `*` takes any)."""
    accepted = set()
    for item in header[:500].split(","):  # a long header is cut, not parsed in full
        name, _, params = item.partition(";")
        quality = params.strip().removeprefix("q=").strip() if params else "1"
        try:
            refused = float(quality) == 0
        except ValueError:
            refused = False
        if name.strip() and not refused:
            accepted.add(name.strip().lower())
    return accepted


def negotiate(header: str) -> str | None:
    accepted = accepted_encodings(header)
    if "br" in accepted or "*" in accepted:
        return "br"
    if "gzip" in accepted:
        return "gzip"
    return None


def compressible(response: HttpResponseBase) -> bool:
    return response.get("Content-Type", "").lower().startswith(COMPRESSIBLE_TYPES)


def depends_on_who_asks(response: HttpResponseBase) -> bool:
    directives = response.get("Cache-Control", "").lower()
    return any(directive in directives for directive in NEVER_COMPRESSED)


def brotli_stream(chunks: Iterable[bytes]) -> Iterator[bytes]:
    compressor = brotli.Compressor(quality=BROTLI_QUALITY)
    for chunk in chunks:
        # Flushed per chunk: a streamed export reaches the client as it is made.
        yield compressor.process(chunk) + compressor.flush()
    yield compressor.finish()


class CompressionMiddleware(GZipMiddleware):
    """First in MIDDLEWARE, so it compresses what every other middleware has finished
    (the debug toolbar, which writes into the page, comes after it: config/settings/local.py)."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if response.status_code == HTTPStatus.NOT_MODIFIED and not depends_on_who_asks(response):
            # No body, but the headers of the 200 it stands for: a cache keeps the coding's.
            patch_vary_headers(response, ("Accept-Encoding",))
        if not self._worth_compressing(response):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        encoding = negotiate(request.META.get("HTTP_ACCEPT_ENCODING", ""))
        if encoding == "gzip":
            return super().process_response(request, response)
        if encoding == "br" and not getattr(response, "is_async", False):
            return self._brotli(response)
        return response  # identity, or an async stream: left to the server as it is

    @staticmethod
    def _worth_compressing(response: HttpResponseBase) -> bool:
        """Text, long enough, not encoded yet, and the same for everyone (BREACH)."""
        if response.has_header("Content-Encoding") or depends_on_who_asks(response):
            return False
        if response.status_code == HTTPStatus.NOT_MODIFIED or not compressible(response):
            return False
        return response.streaming or len(response.content) >= MIN_LENGTH  # type: ignore[attr-defined]

    def _brotli(self, response: HttpResponseBase) -> HttpResponseBase:
        if response.streaming:
            response.streaming_content = brotli_stream(response.streaming_content)  # type: ignore[attr-defined]
            del response.headers["Content-Length"]
        else:
            body = response.content  # type: ignore[attr-defined]
            compressed = brotli.compress(body, quality=BROTLI_QUALITY)
            if len(compressed) >= len(body):
                return response
            response.content = compressed  # type: ignore[attr-defined]
            response.headers["Content-Length"] = str(len(compressed))
        # The bytes differ from the identity body's: a strong ETag may not stay (RFC 9110).
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = "br"
        return response


@dataclass(frozen=True)
class WireSizes:
    """A body's size as sent: as it is, gzipped (with HTB's random padding) and as Brotli, the
    way this middleware would send it (for the lab and the bench)."""

    identity: int
    gzip: int
    brotli: int


def wire_sizes(body: bytes) -> WireSizes:
    if len(body) < MIN_LENGTH:
        return WireSizes(len(body), len(body), len(body))
    gzipped = compress_string(body, max_random_bytes=GZipMiddleware.max_random_bytes)
    return WireSizes(
        identity=len(body),
        gzip=min(len(gzipped), len(body)),
        brotli=min(len(brotli.compress(body, quality=BROTLI_QUALITY)), len(body)),
    )
