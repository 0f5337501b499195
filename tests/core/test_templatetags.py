from decimal import Decimal

from django.template import Context, Template
from django.utils import translation

from ntm.core.templatetags.ntm import action_label, vn_number


def test_vn_number_uses_dots_for_thousands_and_comma_for_decimals():
    with translation.override("vi"):
        assert vn_number(38588) == "38.588"
        assert vn_number(Decimal("132.69"), 2) == "132,69"
        assert vn_number(None) == "—"


def test_dates_render_day_month_year():
    import datetime

    with translation.override("vi"):
        rendered = Template("{{ d|date:'SHORT_DATE_FORMAT' }}").render(
            Context({"d": datetime.date(2025, 7, 1)})
        )

    assert rendered == "01/07/2025"


def test_action_label_is_the_label_the_app_declares():
    assert str(action_label("households.household.changed")) == "Sửa thông tin hộ"
    assert action_label("x.y.unknown") == "x.y.unknown"
