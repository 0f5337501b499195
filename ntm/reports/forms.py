import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ntm.core.forms import DateField


class OpenYearForm(forms.Form):
    year = forms.IntegerField(label=_("Năm báo cáo"), min_value=2020, max_value=2100)
    due_date = DateField(
        label=_("Hạn nộp"),
        help_text=_("Kế hoạch (mục VII.9): trước ngày 01/10 hằng năm."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        year = timezone.localdate().year
        self.fields["year"].initial = year
        self.fields["due_date"].initial = datetime.date(year, 10, 1)
