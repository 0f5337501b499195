from django import forms
from django.utils.translation import gettext_lazy as _

from ntm.indicators.forms import FIRST_YEAR, LAST_YEAR, YearForm


class PlanYearForm(YearForm):
    """``?nam=`` (or ``?ngay=``, that date's year): a year of the plan;
    anything else falls back to the default."""

    def year(self, years, default):
        year = super().year()
        return year if year in years else default


class PlanMapForm(forms.Form):
    """``?muc-tieu=&nam=`` or ``?bo=&tieu-chi=&nam=`` (URL words in Vietnamese)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["muc-tieu"] = forms.CharField(
            label=_("Mục tiêu"), max_length=10, required=False
        )
        self.fields["bo"] = forms.CharField(
            label=_("Bộ tiêu chí"), max_length=60, required=False
        )
        self.fields["tieu-chi"] = forms.CharField(
            label=_("Tiêu chí"), max_length=20, required=False
        )
        self.fields["nam"] = forms.IntegerField(
            label=_("Năm"), min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False
        )

    def clean(self):
        data = super().clean()
        if data.get("bo") and not data.get("tieu-chi"):
            self.add_error("tieu-chi", _("Chọn một tiêu chí của bộ tiêu chí."))
        return data
