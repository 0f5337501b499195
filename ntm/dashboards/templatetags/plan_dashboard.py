"""How the plan's trend reads on screen: a small bar chart drawn as SVG."""

from decimal import Decimal

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from ntm.indicators.templatetags.scorecards import measure_value, status_word

register = template.Library()

BAR, GAP, HEIGHT = 22, 8, 40


@register.simple_tag
def sparkline(trend, requirement):
    """Bars of a target's value by year, with the target as a dashed line.

    Only geometry is worked out here: the values and statuses are the
    engine's. A year without data is a flat grey mark, never a zero bar.
    """
    indicator = requirement.indicator
    values = [r.value for r in trend if r.value is not None]
    threshold = requirement.threshold
    top = max([*values, threshold or Decimal(0), Decimal(1)])
    width = len(trend) * (BAR + GAP) - GAP
    parts = []
    for index, result in enumerate(trend):
        x = index * (BAR + GAP)
        label = f"{result.year}: {measure_value(result.value, indicator)} — "
        label += str(status_word(result.status))
        if result.value is None:
            height, css = 2, "spark-nodata"
        else:
            height = max(2, round(float(Decimal(result.value) / top) * HEIGHT))
            css = f"spark-{result.status.replace('_', '')}"
        parts.append((x, HEIGHT - height, BAR, height, css, label))
    bars = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" class="{}"><title>{}</title>'
        "</rect>",
        parts,
    )
    line = ""
    if threshold is not None and requirement.comparison != "true":
        y = HEIGHT - round(float(threshold / top) * HEIGHT)
        line = format_html(
            '<line x1="0" x2="{}" y1="{}" y2="{}" class="spark-target"></line>',
            width,
            y,
            y,
        )
    return format_html(
        '<svg class="sparkline" width="{}" height="{}" viewBox="0 0 {} {}" '
        'role="img" aria-label="{}">{}{}</svg>',
        width,
        HEIGHT,
        width,
        HEIGHT,
        _("Diễn biến theo năm"),
        bars,
        line,
    )
