from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ntm.core.forms import DateField
from ntm.core.uploads import UploadField

from .models import Announcement, ChannelSettings


class SettingsForm(forms.ModelForm):
    class Meta:
        model = ChannelSettings
        fields = ["email", "sms", "zalo", "is_active"]


class SubscriberForm(forms.Form):
    name = forms.CharField(label=_("Họ tên"), max_length=120)
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )
    email = forms.CharField(label=_("Thư điện tử"), max_length=254, required=False)
    zalo_user_id = forms.CharField(
        label=_("Mã người dùng Zalo"),
        max_length=64,
        required=False,
        help_text=_("Mã người quan tâm Zalo OA của xã (chữ số)."),
    )
    consented_on = DateField(
        label=_("Ngày đồng ý nhận tin"), initial=timezone.localdate
    )

    def clean_consented_on(self):
        day = self.cleaned_data["consented_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Ngày đồng ý không được ở tương lai."))
        return day


class AnnouncementForm(forms.Form):
    title = forms.CharField(
        label=_("Tiêu đề"), max_length=Announcement._meta.get_field("title").max_length
    )
    body = forms.CharField(
        label=_("Nội dung"),
        max_length=Announcement._meta.get_field("body").max_length,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    attachment = UploadField("announcement", label=_("Tệp đính kèm"), required=False)
