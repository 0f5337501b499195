import copy
import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ntm.core.forms import DateField
from ntm.core.uploads import UploadField
from ntm.units.models import Unit

from .models import Guide, ProgramStaff, Training
from .permissions import keeper_paths
from .services import GUIDE_FIELDS, STAFF_FIELDS, TRAINING_FIELDS

YES_NO = [("", _("Tất cả")), ("co", _("Có")), ("khong", _("Không"))]
LEVELS = [
    ("", _("Tất cả các cấp")),
    (str(Unit.Level.DISTRICT), _("Cấp huyện")),
    (str(Unit.Level.COMMUNE), _("Cấp xã")),
    (str(Unit.Level.VILLAGE), _("Cấp thôn")),
]


def units_of(user, *levels):
    """Units (every version) on ``levels`` within the units the user keeps."""
    return (
        Unit.objects.within_any(keeper_paths(user), lineage=True)
        .filter(level__in=levels)
        .select_related("parent")
        .defer("boundary", "parent__boundary")
    )


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        label = f"{obj.name} — {obj.parent}" if obj.parent_id else obj.name
        if obj.valid_to or obj.valid_from:
            label = f"{label} ({obj.validity_display})"
        return label


def year_choices():
    this_year = timezone.localdate().year
    return [(y, str(y)) for y in range(this_year + 1, 2014, -1)]


class StaffFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Năm"), coerce=int, choices=())
    q = forms.CharField(
        label=_("Tìm kiếm"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Mã, họ tên, chức vụ…")}
        ),
    )
    commune = UnitChoiceField(
        queryset=None, required=False, label=_("Xã"), empty_label=_("Tất cả xã")
    )
    level = forms.ChoiceField(choices=LEVELS, required=False, label=_("Cấp"))
    trained = forms.ChoiceField(
        choices=YES_NO, required=False, label=_("Đã tập huấn CĐS")
    )

    def __init__(self, data, *, user):
        data = data.copy()
        data.setdefault("year", str(timezone.localdate().year))
        super().__init__(data)
        self.fields["year"].choices = year_choices()
        self.fields["commune"].queryset = units_of(user, Unit.Level.COMMUNE)

    @property
    def chosen_year(self):
        if self.is_valid():
            return self.cleaned_data["year"]
        return timezone.localdate().year

    @property
    def asks_outside_scope(self):
        return "commune" in self.errors

    def apply(self, entries):
        data = self.cleaned_data if self.is_valid() else {}
        entries = entries.of_year(self.chosen_year)
        if data.get("q"):
            entries = entries.matching(data["q"])
        if data.get("commune"):
            entries = entries.within(data["commune"])
        if data.get("level"):
            entries = entries.filter(unit__level=int(data["level"]))
        if data.get("trained"):
            trained = entries.trained_by(datetime.date(self.chosen_year, 12, 31))
            entries = (
                trained
                if data["trained"] == "co"
                else entries.exclude(pk__in=trained.values("pk"))
            )
        return entries


class StaffForm(forms.ModelForm):
    unit = UnitChoiceField(queryset=None, label=_("Đơn vị công tác"))

    class Meta:
        model = ProgramStaff
        # What the services keep, less the demo flag.
        fields = [f for f in STAFF_FIELDS if f != "is_demo"]

    def __init__(self, *args, user, instance=None, **kwargs):
        # The service compares the entry before and after the change, so the
        # form must not write the submitted values into the caller's object.
        super().__init__(*args, instance=copy.copy(instance), **kwargs)
        self.fields["unit"].queryset = units_of(
            user, Unit.Level.DISTRICT, Unit.Level.COMMUNE, Unit.Level.VILLAGE
        )
        self.fields["year"].widget.attrs.update(min=2015, max=2035)

    def validate_unique(self):
        # The service gives the message about a repeated code.
        pass


class TrainingForm(forms.ModelForm):
    organiser = UnitChoiceField(queryset=None, label=_("Đơn vị tổ chức"))

    class Meta:
        model = Training
        fields = [f for f in TRAINING_FIELDS if f != "is_demo"]
        field_classes = {"held_on": DateField}
        widgets = {
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, instance=None, **kwargs):
        # See StaffForm: the service diffs the untouched training.
        super().__init__(*args, instance=copy.copy(instance), **kwargs)
        self.fields["organiser"].queryset = units_of(
            user, Unit.Level.DISTRICT, Unit.Level.COMMUNE
        )
        # Left out (older clients, the API), they take the model's default.
        for name in ("audience", "unlisted_attendees"):
            self.fields[name].required = False

    def clean_audience(self):
        return self.cleaned_data["audience"] or Training.Audience.OFFICIALS

    def clean_unlisted_attendees(self):
        return self.cleaned_data["unlisted_attendees"] or 0


class TrainingFilterForm(forms.Form):
    year = forms.TypedChoiceField(
        label=_("Năm"), coerce=int, choices=(), required=False
    )
    topic = forms.ChoiceField(
        choices=[("", _("Tất cả chủ đề")), *Training.Topic.choices],
        required=False,
        label=_("Chủ đề"),
    )
    audience = forms.ChoiceField(
        choices=[("", _("Mọi đối tượng")), *Training.Audience.choices],
        required=False,
        label=_("Đối tượng"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Tất cả các năm")), *year_choices()]

    def apply(self, trainings):
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("year"):
            trainings = trainings.of_year(data["year"])
        if data.get("topic"):
            trainings = trainings.filter(topic=data["topic"])
        if data.get("audience"):
            trainings = trainings.filter(audience=data["audience"])
        return trainings


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} — {obj.position or '…'}, {obj.unit.name} ({obj.code})"


class ParticipantForm(forms.Form):
    staff = StaffChoiceField(
        queryset=None,
        required=False,
        label=_("Cán bộ trong danh sách"),
        empty_label=_("— Người ngoài danh sách —"),
    )
    name = forms.CharField(label=_("Họ và tên"), max_length=120, required=False)
    role = forms.CharField(label=_("Chức vụ"), max_length=120, required=False)
    unit_name = forms.CharField(label=_("Đơn vị"), max_length=120, required=False)
    attended = forms.BooleanField(label=_("Có tham dự"), required=False, initial=True)

    def __init__(self, *args, training, user, **kwargs):
        super().__init__(*args, **kwargs)
        on_list = training.participations.filter(staff__isnull=False).values("staff_id")
        self.fields["staff"].queryset = (
            ProgramStaff.objects.of_year(training.held_on.year)
            .active()
            .within_any(keeper_paths(user), lineage=True)
            .exclude(pk__in=on_list)
            .select_related("unit")
            .order_by("unit__path", "full_name")
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("staff") and not cleaned.get("name", "").strip():
            raise forms.ValidationError(
                _("Chọn cán bộ trong danh sách hoặc nhập họ tên người tham gia.")
            )
        return cleaned


class AttendanceForm(forms.Form):
    attended = forms.BooleanField(required=False)


class GuideForm(forms.ModelForm):
    publisher = UnitChoiceField(queryset=None, label=_("Đơn vị đăng"))
    file = UploadField("guide", label=_("Tệp tài liệu"), required=False)
    video_url = forms.URLField(
        label=_("Liên kết video"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=Guide._meta.get_field("video_url").help_text,
    )

    class Meta:
        model = Guide
        fields = [f for f in GUIDE_FIELDS if f != "is_demo"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 12}),
        }

    def __init__(self, *args, user, instance=None, **kwargs):
        # See StaffForm: the service diffs the untouched guide.
        super().__init__(*args, instance=copy.copy(instance), **kwargs)
        self.fields["publisher"].queryset = units_of(
            user, Unit.Level.DISTRICT, Unit.Level.COMMUNE
        ).valid_on()
        if instance is not None and instance.file:
            self.fields["file"].help_text = _(
                "Đang có tệp %(name)s; chọn tệp khác để thay."
            ) % {"name": instance.file_name}

    def clean_video_url(self):
        url = self.cleaned_data["video_url"]
        if url and not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError(
                _("Liên kết video phải bắt đầu bằng http:// hoặc https://.")
            )
        return url

    def clean(self):
        data = super().clean()
        # An empty file field keeps the stored file (or none).
        data["file"] = data.get("file") or self.instance.file or ""
        return data


class GuideFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm kiếm"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Ví dụ: kỹ thuật trồng lúa, bò, VietGAP…"),
            }
        ),
    )
    field = forms.ChoiceField(
        choices=[("", _("Tất cả lĩnh vực")), *Guide.Field.choices],
        required=False,
        label=_("Lĩnh vực"),
    )
    kind = forms.ChoiceField(
        choices=[("", _("Tất cả các loại")), *Guide.Kind.choices],
        required=False,
        label=_("Loại"),
    )
    season = forms.ChoiceField(
        choices=[("", _("Mọi mùa vụ")), *Guide.Season.choices[1:]],
        required=False,
        label=_("Mùa vụ"),
    )

    def apply(self, guides):
        data = self.cleaned_data if self.is_valid() else {}
        for name in ("field", "kind", "season"):
            if data.get(name):
                guides = guides.filter(**{name: data[name]})
        if data.get("q"):
            guides = guides.search(data["q"])
        return guides
