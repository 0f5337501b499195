"""Bar charts of survey results, drawn on the server as SVG.

No chart library and no inline style: a bar is an SVG rect whose width
attribute is the share, in a viewBox 100 units wide that CSS stretches to
the column. The figures stay in the table beside it, for screen readers and
print; the bar itself is decoration (aria-hidden).
"""

from django import template

from ntm.core.numbers import round_half_up, to_decimal

register = template.Library()


@register.inclusion_tag("surveys/_bar.html")
def share_bar(percent, good=False):
    """A horizontal bar ``percent`` long (0–100), green when ``good``."""
    share = to_decimal(percent) or 0
    return {"width": f"{round_half_up(min(max(share, 0), 100), 2):f}", "good": good}
