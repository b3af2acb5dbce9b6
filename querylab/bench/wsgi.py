"""Requests through Django's real WSGI handler: the middleware, the URL resolver, the view and the
response iteration a WSGI server runs, without a socket in between."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.handlers.wsgi import WSGIHandler


class WsgiClient:
    def __init__(self, *, cookie: str = "", headers: Mapping[str, str] | None = None) -> None:
        self.handler = WSGIHandler()
        self.cookie = cookie
        # Sent with every request (`Accept-Encoding`, `If-None-Match`), as a client's would be.
        self.headers = dict(headers or {})
        # The last response's headers, as the server sent them.
        self.last_headers: list[tuple[str, str]] = []

    def get(self, url: str, *, keep_body: bool = True) -> tuple[int, bytes]:
        """GET `url`; return the status code and the body (empty when `keep_body` is off: a
        streamed body is then consumed chunk by chunk and dropped)."""
        path, _, query = url.partition("?")
        environ: dict[str, Any] = {
            "REQUEST_METHOD": "GET",
            "SCRIPT_NAME": "",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "localhost",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "localhost",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        if self.cookie:
            environ["HTTP_COOKIE"] = self.cookie
        for name, value in self.headers.items():
            environ["HTTP_" + name.upper().replace("-", "_")] = value
        statuses: list[str] = []

        def start_response(status: str, headers: Any, exc_info: Any = None) -> Any:
            statuses.append(status)
            self.last_headers = list(headers)
            return None  # no write() callable: Django returns the body as an iterable

        result: Iterable[bytes] = self.handler(environ, start_response)
        try:
            if keep_body:
                body = b"".join(result)
            else:
                body = b""
                for _chunk in result:
                    pass
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()  # sends request_finished, as a server does
        return int(statuses[0].split()[0]), body

    def header(self, name: str) -> str | None:
        """A header of the last response."""
        wanted = name.lower()
        return next((value for key, value in self.last_headers if key.lower() == wanted), None)

    def header_bytes(self) -> int:
        """The last response's status line and headers, as HTTP/1.1 sends them."""
        lines = [f"{name}: {value}\r\n" for name, value in self.last_headers]
        return len("HTTP/1.1 200 OK\r\n") + sum(len(line.encode()) for line in lines) + 2
