from django import forms
from django.utils.translation import gettext_lazy as _

from ntm.core.spreadsheets import XlsxFileField
from ntm.core.uploads import UploadField
from ntm.units.forms import DayForm

from .evaluation import MET, NO_DATA, NOT_MET
from .models import Requirement

FIRST_YEAR, LAST_YEAR = 2000, 2100
STATUS_CHOICES = [
    ("", _("Tất cả")),
    (MET, _("Đạt")),
    (NOT_MET, _("Chưa đạt")),
    (NO_DATA, _("Chưa có số liệu")),
]


class YearForm(DayForm):
    """``?nam=``, or ``?ngay=`` (the platform as of a date: that date's year)."""

    nam = forms.IntegerField(
        label=_("Năm"), min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False
    )

    def year(self):
        """The requested year, or None when absent or not a year."""
        self.is_valid()
        if self.cleaned_data.get("nam"):
            return self.cleaned_data["nam"]
        day = self.asked_day()
        return day.year if day else None


class MatrixFilterForm(forms.Form):
    """One status filter per criterion, and "only units not met"."""

    chua_dat = forms.BooleanField(label=_("Chỉ hiện đơn vị chưa đạt"), required=False)

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[self.field_name(criterion)] = forms.ChoiceField(
                label=_("Tiêu chí %s") % criterion.number,
                choices=STATUS_CHOICES,
                required=False,
            )

    @staticmethod
    def field_name(criterion):
        return f"tc{criterion.number}"

    def apply(self, evaluations):
        """The evaluations that pass every chosen filter, in their order."""
        if not self.is_valid():
            return list(evaluations)
        wanted = {
            str(c.number): self.cleaned_data[self.field_name(c)]
            for c in self.criteria
            if self.cleaned_data.get(self.field_name(c))
        }
        rows = []
        for evaluation in evaluations:
            if self.cleaned_data["chua_dat"] and evaluation.status == MET:
                continue
            statuses = {str(c.criterion.number): c.status for c in evaluation.criteria}
            if all(statuses.get(number) == status for number, status in wanted.items()):
                rows.append(evaluation)
        return rows


class ValueForm(forms.Form):
    value = forms.CharField(
        label=_("Giá trị"),
        max_length=30,
        help_text=_("Số thập phân dùng dấu phẩy; có/không nhập 1 hoặc 0."),
    )
    note = forms.CharField(
        label=_("Thuyết minh"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_value(self):
        return self.cleaned_data["value"].strip().replace(" ", "")


class EvidenceForm(forms.Form):
    file = UploadField("evidence", label=_("Tệp minh chứng"))


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do trả lại"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Cần ghi lý do trả lại.")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Cần ghi lý do trả lại."))
        return reason


class RequirementForm(forms.Form):
    """A requirement's editable facts; a plain form so that the instance stays
    untouched until ``update_requirement`` records the change."""

    comparison = forms.ChoiceField(label=_("So sánh"), choices=Requirement.Comparison)
    threshold = forms.DecimalField(
        label=_("Ngưỡng"),
        required=False,
        max_digits=18,
        decimal_places=4,
        localize=True,
        help_text=_("Để trống khi so sánh là “Đạt”. Số thập phân dùng dấu phẩy."),
    )
    confirmed = forms.BooleanField(label=_("Ngưỡng đã xác minh"), required=False)
    note = forms.CharField(
        label=_("Ghi chú"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, requirement, **kwargs):
        threshold = requirement.threshold
        kwargs["initial"] = {
            "comparison": requirement.comparison,
            "threshold": None if threshold is None else threshold.normalize(),
            "confirmed": requirement.confirmed,
            "note": requirement.note,
        }
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        comparison = cleaned.get("comparison")
        needs_threshold = comparison and comparison != Requirement.Comparison.TRUE
        if needs_threshold and cleaned.get("threshold") is None:
            self.add_error("threshold", _("Phép so sánh này cần có ngưỡng."))
        return cleaned

    def changed_fields(self):
        """The edited fields and their new values, for ``update_requirement``."""
        return {name: self.cleaned_data[name] for name in self.changed_data}


class CriteriaSheetForm(forms.Form):
    """A criteria set's sheet and the year its new version takes effect."""

    file = XlsxFileField()
    from_year = forms.IntegerField(
        label=_("Áp dụng từ năm"),
        min_value=2000,
        max_value=2100,
        help_text=_(
            "Các năm trước vẫn đánh giá theo phiên bản đang dùng; số liệu đã chốt "
            "không đổi."
        ),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do mở lại"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Ghi lý do mở lại kỳ đã khóa sổ.")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Ghi lý do mở lại kỳ đã khóa sổ."))
        return reason
