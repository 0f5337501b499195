from django import forms
from django.utils.translation import gettext_lazy as _

from ntm.core.uploads import RULES, UploadField
from ntm.households.validation import clean_phone

from .models import Category, Report


class MultiPhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(UploadField):
    """Several photos in one input; each checked by the "photo" rule."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", MultiPhotoInput(attrs={"accept": RULES["photo"].accept})
        )
        super().__init__("photo", required=False, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(PhotosField, self).clean(item, initial) for item in files]


class ReportForm(forms.Form):
    category = forms.ModelChoiceField(
        Category.objects.filter(is_active=True), label=_("Lĩnh vực")
    )
    text = forms.CharField(
        label=_("Nội dung"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    lat = forms.DecimalField(required=False, widget=forms.HiddenInput)
    lon = forms.DecimalField(required=False, widget=forms.HiddenInput)
    address_code = forms.CharField(
        label=_("Hoặc mã địa chỉ số"), max_length=32, required=False
    )
    photos = PhotosField(label=_("Ảnh"))
    reporter_name = forms.CharField(
        label=_("Họ tên (không bắt buộc, không công khai)"),
        max_length=120,
        required=False,
    )
    reporter_phone = forms.CharField(
        label=_("Số điện thoại (không bắt buộc, không công khai)"),
        max_length=20,
        required=False,
    )
    is_business = forms.BooleanField(
        label=_("Tôi phản ánh thay doanh nghiệp"), required=False
    )

    def clean_reporter_phone(self):
        return clean_phone(self.cleaned_data["reporter_phone"])

    def clean(self):
        data = super().clean()
        if (data.get("lat") is None or data.get("lon") is None) and not data.get(
            "address_code"
        ):
            raise forms.ValidationError(
                _("Hãy chạm vào bản đồ để chọn vị trí, hoặc nhập mã địa chỉ số.")
            )
        return data


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Vì sao vấn đề chưa được giải quyết?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ActionForm(forms.Form):
    note = forms.CharField(
        label=_("Ghi chú"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    photos = PhotosField(label=_("Ảnh sau khi xử lý"))


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", "—"), *Report.Status.choices],
    )
    category = forms.ModelChoiceField(
        Category.objects.all(), label=_("Lĩnh vực"), required=False
    )
    overdue = forms.BooleanField(label=_("Chỉ quá hạn"), required=False)

    def apply(self, reports):
        data = self.cleaned_data
        if data.get("status"):
            reports = reports.filter(status=data["status"])
        if data.get("category"):
            reports = reports.filter(category=data["category"])
        if data.get("overdue"):
            reports = reports.overdue()
        return reports
