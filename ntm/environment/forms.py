from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ntm.core.forms import DateField


class LabResultForm(forms.Form):
    """One laboratory result: a value per monitored parameter, one date."""

    measured_on = DateField(label=_("Ngày lấy mẫu"))
    laboratory = forms.CharField(
        label=_("Phòng thí nghiệm"),
        max_length=160,
        help_text=_("Ví dụ: Trung tâm Kiểm soát bệnh tật tỉnh."),
    )

    def __init__(self, *args, point, **kwargs):
        super().__init__(*args, **kwargs)
        self.point = point
        for parameter in point.parameters.all():
            self.fields[f"p_{parameter.code}"] = forms.FloatField(
                label=str(parameter),
                required=False,
                help_text=_("Ngưỡng: %(limits)s")
                % {"limits": parameter.limits_display},
            )

    def clean_measured_on(self):
        day = self.cleaned_data["measured_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Ngày lấy mẫu không được ở tương lai."))
        return day

    def clean(self):
        data = super().clean()
        if not any(
            data.get(name) is not None for name in self.fields if name.startswith("p_")
        ):
            raise forms.ValidationError(_("Nhập ít nhất một kết quả."))
        return data

    def values(self):
        """(parameter, value) of every filled field."""
        codes = {p.code: p for p in self.point.parameters.all()}
        return [
            (codes[name[2:]], value)
            for name, value in self.cleaned_data.items()
            if name.startswith("p_") and value is not None
        ]


class SensorForm(forms.Form):
    device_id = forms.SlugField(
        label=_("Mã thiết bị"),
        max_length=40,
        help_text=_("Chữ không dấu, số và dấu gạch ngang, ví dụ: hn-nuoc-01."),
    )
