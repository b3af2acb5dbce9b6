"""Small server-side SVG charts (bars, and lines on log axes): no JavaScript, no CDN."""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

BAR_HEIGHT = 22
LABEL_WIDTH = 150
CHART_WIDTH = 640
VALUE_WIDTH = 110
COLOURS = {"naive": "#c2410c", "optimized": "#0c6b58", "auto": "#6d28d9"}


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


@dataclass(frozen=True)
class Series:
    label: str
    colour: str
    points: list[tuple[float, float]]  # (x, y), both positive: the axes are logarithmic
    dashed: bool = False


LINE_WIDTH, LINE_HEIGHT = 760, 400
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 70, 230, 30, 45


def line_chart(series: list[Series], *, title: str, x_label: str, y_label: str) -> str:
    """Lines on log-log axes, a legend on the right: time against N, where an N+1 is a slope of
    one and a flat count a line that barely rises."""
    points = [point for line in series for point in line.points if point[0] > 0 and point[1] > 0]
    if not points:
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{LINE_WIDTH}" height="40">'
            f'<text x="10" y="25" font-family="sans-serif">{escape(title)}: no data</text></svg>'
        )
    (x_low, x_high), (y_low, y_high) = (
        _decades(min(p[0] for p in points), max(p[0] for p in points)),
        _decades(min(p[1] for p in points), max(p[1] for p in points)),
    )
    plot_w = LINE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_h = LINE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM

    def x_of(value: float) -> float:
        return MARGIN_LEFT + plot_w * (math.log10(value) - x_low) / max(x_high - x_low, 1)

    def y_of(value: float) -> float:
        return MARGIN_TOP + plot_h * (1 - (math.log10(value) - y_low) / max(y_high - y_low, 1))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{LINE_WIDTH}" '
        f'height="{LINE_HEIGHT}" viewBox="0 0 {LINE_WIDTH} {LINE_HEIGHT}" '
        f'font-family="sans-serif" font-size="12"><title>{escape(title)}</title>',
        f'<text x="{MARGIN_LEFT}" y="18" font-weight="bold">{escape(title)}</text>',
    ]
    bottom, right = MARGIN_TOP + plot_h, MARGIN_LEFT + plot_w
    # One grid line and label per power of ten, on each axis.
    for decade in range(x_low, x_high + 1):
        x = x_of(10**decade)
        parts.append(_grid((x, MARGIN_TOP, x, bottom), (x, bottom + 16, "middle"), 10**decade))
    for decade in range(y_low, y_high + 1):
        y = y_of(10**decade)
        parts.append(_grid((MARGIN_LEFT, y, right, y), (MARGIN_LEFT - 6, y + 4, "end"), 10**decade))
    parts.append(
        f'<text x="{MARGIN_LEFT + plot_w / 2:.1f}" y="{LINE_HEIGHT - 8}" '
        f'text-anchor="middle">{escape(x_label)}</text>'
        f'<text transform="translate(14 {MARGIN_TOP + plot_h / 2:.1f}) rotate(-90)" '
        f'text-anchor="middle">{escape(y_label)}</text>'
    )
    for index, line in enumerate(series):
        coordinates = " ".join(f"{x_of(x):.1f},{y_of(y):.1f}" for x, y in line.points)
        dash = ' stroke-dasharray="6 4"' if line.dashed else ""
        parts.append(
            f'<polyline points="{coordinates}" fill="none" stroke="{line.colour}" '
            f'stroke-width="2"{dash}/>'
        )
        parts += [
            f'<circle cx="{x_of(x):.1f}" cy="{y_of(y):.1f}" r="3" fill="{line.colour}">'
            f"<title>{escape(line.label)}: {y:.3g} at N={x:g}</title></circle>"
            for x, y in line.points
        ]
        legend_y = MARGIN_TOP + 10 + index * 20
        legend_x = MARGIN_LEFT + plot_w + 15
        parts.append(
            f'<line x1="{legend_x}" y1="{legend_y}" x2="{legend_x + 24}" y2="{legend_y}" '
            f'stroke="{line.colour}" stroke-width="2"{dash}/>'
            f'<text x="{legend_x + 30}" y="{legend_y + 4}">{escape(line.label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _grid(
    line: tuple[float, float, float, float], label: tuple[float, float, str], value: float
) -> str:
    x1, y1, x2, y2 = line
    x, y, anchor = label
    return (
        f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#ddd"/>'
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}">{_tick(value)}</text>'
    )


def _decades(low: float, high: float) -> tuple[int, int]:
    return math.floor(math.log10(low)), max(
        math.ceil(math.log10(high)), math.floor(math.log10(low)) + 1
    )


def _tick(value: float) -> str:
    return f"{value:g}" if value >= 0.01 else f"{value:.0e}"
