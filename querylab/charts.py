"""A small server-side SVG bar chart: no JavaScript, no CDN, readable without CSS."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

BAR_HEIGHT = 22
LABEL_WIDTH = 150
CHART_WIDTH = 640
VALUE_WIDTH = 110
COLOURS = {"naive": "#c2410c", "optimized": "#0c6b58"}


@dataclass(frozen=True)
class Bar:
    label: str
    variant: str
    value: float
    text: str


def bar_chart(groups: list[tuple[str, list[Bar]]], *, title: str) -> str:
    """Horizontal bars, one group per metric, each scaled to that metric's largest value."""
    bar_area = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH
    rows = sum(len(bars) + 1 for _, bars in groups)
    height = rows * (BAR_HEIGHT + 6) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{CHART_WIDTH}" '
        f'height="{height}" viewBox="0 0 {CHART_WIDTH} {height}" font-family="sans-serif" '
        f'font-size="13"><title>{escape(title)}</title>'
    ]
    y = 5
    for metric, bars in groups:
        parts.append(f'<text x="0" y="{y + 15}" font-weight="bold">{escape(metric)}</text>')
        y += BAR_HEIGHT + 6
        largest = max((bar.value for bar in bars), default=0) or 1
        for bar in bars:
            width = max(1.0, bar_area * bar.value / largest)
            colour = COLOURS.get(bar.variant, "#555")
            parts.append(
                f'<text x="0" y="{y + 15}">{escape(bar.label)}</text>'
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" '
                f'fill="{colour}"><title>{escape(bar.text)}</title></rect>'
                f'<text x="{LABEL_WIDTH + width + 6:.1f}" y="{y + 15}">{escape(bar.text)}</text>'
            )
            y += BAR_HEIGHT + 6
    parts.append("</svg>")
    return "".join(parts)
