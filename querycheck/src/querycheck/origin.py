"""Which line of *your* code issued a query or a lazy load: the innermost frame of the app's code
on the stack (`shop/views.py:42 in book_list`), which is where an N+1 is fixed.

Which packages are yours comes from `configure(app_packages=...)` (the pytest plugin passes its
`querycheck_app_packages` ini setting), else the Django setting `QUERYCHECK_APP_PACKAGES`, else
every frame that is neither the standard library nor an installed package.
"""

from __future__ import annotations

import sysconfig
from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = ["NO_APP_ORIGIN", "app_origin", "app_packages", "configure"]

NO_APP_ORIGIN = "(no app code on the stack: a template, a library, or the async ORM's thread)"
# Where the standard library and installed packages live: never "your code".
_LIBRARY_PATHS = tuple(
    {
        path
        for name in ("stdlib", "platstdlib", "purelib", "platlib")
        if (path := sysconfig.get_paths().get(name))
    }
)
_THIS_PACKAGE = __name__.split(".")[0]
_configured_packages: tuple[str, ...] | None = None


def configure(*, app_packages: Iterable[str] | None) -> None:
    """Name the top-level packages that are your app's code (`["shop", "config"]`), or None to
    fall back to the Django setting QUERYCHECK_APP_PACKAGES and then to every non-library frame."""
    global _configured_packages  # noqa: PLW0603 - one process-wide choice, made at start-up
    _configured_packages = None if app_packages is None else tuple(app_packages)


def app_packages() -> tuple[str, ...]:
    """The configured app packages; empty when none are (every non-library frame counts)."""
    if _configured_packages is not None:
        return _configured_packages
    from django.conf import settings  # noqa: PLC0415 - read when asked, never at import

    return tuple(getattr(settings, "QUERYCHECK_APP_PACKAGES", ()) or ())


def app_origin(frame: Any) -> str:
    """The innermost frame of the app's code on this stack, as `path:line in function`."""
    packages = app_packages()
    while frame is not None:
        module = str(frame.f_globals.get("__name__", ""))
        filename = frame.f_code.co_filename
        if _is_app_code(module, filename, packages):
            return f"{_relative(module, filename)}:{frame.f_lineno} in {frame.f_code.co_name}"
        frame = frame.f_back
    return NO_APP_ORIGIN


def _is_app_code(module: str, filename: str, packages: tuple[str, ...]) -> bool:
    top = module.split(".", maxsplit=1)[0]
    if top == _THIS_PACKAGE:
        return False
    if packages:
        return top in packages
    return not filename.startswith(_LIBRARY_PATHS) and not filename.startswith("<")


def _relative(module: str, filename: str) -> str:
    """`shop/views.py` for module `shop.views`: the path as the package names it."""
    path = Path(filename)
    parts = module.split(".")
    if path.stem == "__init__":
        return str(Path(*parts, path.name))
    return str(Path(*parts[:-1], path.name))
