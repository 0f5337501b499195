import copy

from django import forms
from django.utils.translation import gettext_lazy as _

from ntm.core.forms import DateField
from ntm.units.models import Unit

from .models import Cooperative, DigitalTechnology, LinkageModel
from .permissions import keeper_paths
from .services import COOPERATIVE_FIELDS, LINKAGE_FIELDS

YES_NO = [("", _("Tất cả")), ("co", _("Có")), ("khong", _("Không"))]


def communes_kept_by(user):
    """Communes (every version) the user keeps, with those their communes
    replaced in 2025: cooperatives registered there before stay there."""
    return (
        Unit.objects.communes()
        .within_any(keeper_paths(user), lineage=True)
        .select_related("parent")
        .defer("boundary", "parent__boundary")
        .order_by("-valid_from", "path")
    )


class CommuneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if obj.valid_to or obj.valid_from:
            return f"{obj.name} ({obj.validity_display})"
        return obj.name


class CooperativeFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm kiếm"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Tên, mã số, sản phẩm…")}
        ),
    )
    commune = forms.ModelChoiceField(
        queryset=Unit.objects.none(),
        to_field_name="code",
        required=False,
        label=_("Xã (hiện nay)"),
        empty_label=_("Tất cả xã"),
    )
    digital = forms.ChoiceField(
        choices=YES_NO, required=False, label=_("Ứng dụng công nghệ số")
    )
    active = forms.ChoiceField(
        choices=YES_NO, required=False, label=_("Đang hoạt động"), initial="co"
    )

    def __init__(self, *args, day=None, **kwargs):
        super().__init__(*args, **kwargs)
        # ``day``: the list of a past day, read from the dates (``as_of``).
        self.day = day
        # Today's communes; a cooperative of a merged commune shows under the
        # commune that replaced it.
        self.fields["commune"].queryset = (
            Unit.objects.communes().valid_on().defer("boundary").order_by("name")
        )

    def apply(self, cooperatives):
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("q"):
            cooperatives = cooperatives.matching(data["q"])
        if data.get("commune"):
            cooperatives = cooperatives.in_commune(data["commune"])
        if self.day is not None:
            cooperatives = cooperatives.as_of(self.day)
            digital, active = "digital_then", "active_then"
        else:
            digital, active = "applies_digital_technology", "is_active"
        if data.get("digital"):
            cooperatives = cooperatives.filter(**{digital: data["digital"] == "co"})
        if data.get("active"):
            cooperatives = cooperatives.filter(**{active: data["active"] == "co"})
        return cooperatives


class CooperativeForm(forms.ModelForm):
    commune = CommuneChoiceField(queryset=None, label=_("Xã đăng ký"))
    technologies = forms.ModelMultipleChoiceField(
        queryset=DigitalTechnology.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Công nghệ số áp dụng"),
    )

    class Meta:
        model = Cooperative
        # What the services keep, less the demo flag (set by the demo only).
        fields = [f for f in COOPERATIVE_FIELDS if f != "is_demo"]
        field_classes = dict.fromkeys(
            ("founded_on", "digital_since", "digital_until", "dissolved_on"), DateField
        )
        widgets = {
            "main_products": forms.Textarea(attrs={"rows": 2}),
            "phone": forms.TextInput(attrs={"type": "tel"}),
        }

    def __init__(self, *args, user, instance=None, **kwargs):
        # The service compares the record before and after the change, so
        # the form must not write the submitted values into the caller's.
        super().__init__(*args, instance=copy.copy(instance), **kwargs)
        self.fields["commune"].queryset = communes_kept_by(user)
        self.fields["members"].widget.attrs.update(min=0, inputmode="numeric")

    def validate_unique(self):
        # The service words the message about a code already in use.
        pass

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("applies_digital_technology") and not cleaned.get(
            "technologies"
        ):
            self.add_error(
                "technologies", _("Chọn ít nhất một công nghệ số được áp dụng.")
            )
        if cleaned.get("technologies") and not cleaned.get(
            "applies_digital_technology"
        ):
            self.add_error(
                "applies_digital_technology",
                _("Đã chọn công nghệ số: đánh dấu “Ứng dụng công nghệ số”."),
            )
        return cleaned


class LinkageModelForm(forms.ModelForm):
    class Meta:
        model = LinkageModel
        # What the services keep, less the demo flag.
        fields = [f for f in LINKAGE_FIELDS if f != "is_demo"]

    def __init__(self, *args, instance=None, **kwargs):
        # See CooperativeForm: the service diffs the untouched model.
        super().__init__(*args, instance=copy.copy(instance), **kwargs)
        for name in (
            "started_year",
            "digital_since_year",
            "digital_until_year",
            "ended_year",
        ):
            self.fields[name].widget.attrs.update(min=1990, max=2035)
