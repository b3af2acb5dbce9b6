"""When the debug toolbar shows: on every page but the lab's own.

The lab measures both variants in-process, many passes each. With the toolbar active its SQL
panel would record (and stack-trace) every one of those queries, roughly doubling the naive
times the lab reports; the lab shows its own SQL, grouped by shape, instead.
"""

from __future__ import annotations

from django.http import HttpRequest

LAB_PREFIX = "/lab/"


def is_lab_request(request: HttpRequest) -> bool:
    return request.path.startswith(LAB_PREFIX)


def show_toolbar(request: HttpRequest) -> bool:
    """SHOW_TOOLBAR_CALLBACK: the toolbar's own rule (DEBUG, INTERNAL_IPS), lab pages aside."""
    # Imported here: the toolbar is installed only where the local settings run.
    from debug_toolbar.middleware import show_toolbar as toolbar_default  # noqa: PLC0415 - local only

    return not is_lab_request(request) and toolbar_default(request)
