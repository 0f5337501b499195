import copy

from django import forms
from django.utils.translation import gettext_lazy as _

from . import validation
from .models import EcommercePlatform, Facility, Household, Place, VillageChannel
from .queries import communes_of, villages_of
from .services import CHANNEL_FIELDS, FACILITY_FIELDS, HOUSEHOLD_FIELDS

YES_NO = [("", _("Tất cả")), ("co", _("Có")), ("khong", _("Không"))]
# What the form edits: the code, then what the services keep (no demo flag).
HOUSEHOLD_FORM_FIELDS = ["code", *(f for f in HOUSEHOLD_FIELDS if f != "is_demo")]


class VillageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} — {obj.parent}" if obj.parent_id else obj.name


class HouseholdForm(forms.ModelForm):
    village = VillageChoiceField(queryset=None, label=_("Thôn"))
    ecommerce_platforms = forms.ModelMultipleChoiceField(
        queryset=EcommercePlatform.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Sàn thương mại điện tử tham gia"),
    )

    class Meta:
        model = Household
        fields = HOUSEHOLD_FORM_FIELDS
        widgets = {"phone": forms.TextInput(attrs={"type": "tel"})}

    def __init__(self, *args, user, instance=None, **kwargs):
        # The service compares the household before and after the change, so
        # the form must not write the submitted values into the caller's
        # object while it validates them.
        super().__init__(*args, instance=copy.copy(instance), **kwargs)
        self.fields["village"].queryset = villages_of(user, editable=True)
        if instance is not None:
            self.fields["code"].disabled = True
        self.fields["address_code"].required = False
        for name, (low, high) in validation.COUNTS.items():
            field = self.fields[name]
            # In place of the database's range: a 64-bit number typed in
            # is refused here, with the import's message.
            field.validators = [validation.CountRange(name, field.label)]
            field.widget.attrs.update(min=low, max=high, inputmode="numeric")

    def clean_head_name(self):
        name = self.cleaned_data["head_name"]
        validation.check_plain_text(name, label=self.fields["head_name"].label)
        return name

    def clean_address(self):
        address = self.cleaned_data["address"]
        validation.check_plain_text(address, label=self.fields["address"].label)
        return address

    def clean_phone(self):
        return validation.clean_phone(self.cleaned_data["phone"])

    def clean_address_code(self):
        return self.cleaned_data["address_code"] or None

    def clean(self):
        cleaned = super().clean()
        members, health = cleaned.get("members"), cleaned.get("health_app_members")
        if members is not None and health is not None and health > members:
            self.add_error(
                "health_app_members",
                _("Số người dùng ứng dụng y tế không được lớn hơn số nhân khẩu."),
            )
        village = cleaned.get("village")
        if village is not None and not {"lat", "lon"} & self.errors.keys():
            try:
                validation.check_point(village, cleaned.get("lat"), cleaned.get("lon"))
            except forms.ValidationError as error:
                self.add_error("lat", error)
        return cleaned

    def service_fields(self):
        """The cleaned values as keyword arguments for the services."""
        fields = dict(self.cleaned_data)
        fields.pop("code")
        return fields


class HouseholdFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm kiếm"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Mã hộ, tên chủ hộ, địa chỉ…")}
        ),
    )
    commune = forms.ModelChoiceField(
        queryset=None, to_field_name="code", required=False, label=_("Xã")
    )
    village = VillageChoiceField(
        queryset=None, to_field_name="code", required=False, label=_("Thôn")
    )
    fibre = forms.ChoiceField(choices=YES_NO, required=False, label=_("Cáp quang"))
    business = forms.ChoiceField(
        choices=YES_NO, required=False, label=_("Hộ sản xuất, kinh doanh")
    )
    no_address_code = forms.BooleanField(
        required=False, label=_("Chưa có mã địa chỉ số")
    )
    followed = forms.ChoiceField(
        choices=[("", _("Đang theo dõi")), ("ngung", _("Đã ngừng theo dõi"))],
        required=False,
        label=_("Tình trạng"),
    )
    no_location = forms.BooleanField(required=False, label=_("Chưa có tọa độ"))

    # A unit outside the user's scope is not a typo but a request for data
    # the user may not see; views answer it with 403.
    UNIT_FIELDS = {"commune", "village"}

    def __init__(self, *args, user, day=None, **kwargs):
        super().__init__(*args, **kwargs)
        # ``day``: the register as of a past day (?ngay=), with that day's units.
        self.day = day
        self.fields["commune"].queryset = communes_of(user, on=day)
        self.fields["village"].queryset = villages_of(user, on=day)
        self.fields["commune"].empty_label = _("Tất cả xã")
        self.fields["village"].empty_label = _("Tất cả thôn")

    @property
    def asks_outside_scope(self):
        return bool(self.UNIT_FIELDS & self.errors.keys())

    def apply(self, households):
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("q"):
            households = households.matching(data["q"])
        if data.get("commune"):
            households = households.in_unit(data["commune"])
        if data.get("village"):
            households = households.in_unit(data["village"])
        if data.get("fibre"):
            households = households.filter(has_fibre=data["fibre"] == "co")
        if data.get("business"):
            households = households.filter(is_business=data["business"] == "co")
        if data.get("no_address_code"):
            households = households.without_address_code()
        if data.get("no_location"):
            households = households.without_location()
        if self.day is not None:
            if data.get("followed") == "ngung":
                return households.left_by(self.day)
            return households.followed_by(self.day)
        if data.get("followed") == "ngung":
            return households.left()
        return households.followed()


class ArchiveForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do ngừng theo dõi"),
        max_length=200,
        help_text=_("Ví dụ: chuyển đi nơi khác, nhập vào hộ khác."),
    )


class FacilityForm(forms.ModelForm):
    class Meta:
        model = Facility
        # What the services keep, less the demo flag.
        fields = [f for f in FACILITY_FIELDS if f != "is_demo"]

    def __init__(self, *args, instance=None, **kwargs):
        # See HouseholdForm: the service diffs the untouched facility.
        super().__init__(*args, instance=copy.copy(instance), **kwargs)


class ChannelForm(forms.ModelForm):
    # Links pasted without a scheme are https (Django 6's default).
    link = forms.URLField(
        label=_("Đường dẫn tham gia"),
        required=False,
        max_length=VillageChannel._meta.get_field("link").max_length,
        assume_scheme="https",
    )

    class Meta:
        model = VillageChannel
        fields = [f for f in CHANNEL_FIELDS if f != "is_demo"]

    def __init__(self, *args, instance=None, **kwargs):
        # See HouseholdForm: the service diffs the untouched channel.
        super().__init__(*args, instance=copy.copy(instance), **kwargs)


class PlaceForm(forms.ModelForm):
    """An agency, organisation or heritage site of one village."""

    class Meta:
        model = Place
        fields = ["kind", "name", "lat", "lon"]

    def __init__(self, *args, village, **kwargs):
        super().__init__(*args, **kwargs)
        self.village = village

    def clean_name(self):
        name = self.cleaned_data["name"]
        validation.check_plain_text(name, label=self.fields["name"].label)
        return name

    def clean(self):
        cleaned = super().clean()
        if not {"lat", "lon"} & self.errors.keys():
            try:
                validation.check_point(
                    self.village, cleaned.get("lat"), cleaned.get("lon")
                )
            except forms.ValidationError as error:
                self.add_error("lat", error)
        return cleaned
