"""The username in a URL: what Django's username validator allows, and never `me`, the address of
your own account (`/api/v1/users/me/`): a username route can then never shadow it, whatever the
order of the routes, and the OpenAPI document states the same rule
(SPECTACULAR_SETTINGS["PATH_CONVERTER_OVERRIDES"])."""

from __future__ import annotations

# No anchors: Django places a converter's pattern inside the route's own regex.
USERNAME_PATTERN = r"(?!me(?:/|$))[\w.@+-]{1,150}"


class UsernameConverter:
    regex = USERNAME_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
