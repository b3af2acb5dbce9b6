"""An export's format in a URL: only the formats the export writes (blog.exports.Format), so a
route that takes one can never hand its view another."""

from __future__ import annotations

EXPORT_FORMAT_PATTERN = "ndjson|csv"


class ExportFormatConverter:
    regex = EXPORT_FORMAT_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
