from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ntm.core.forms import DateField
from ntm.core.uploads import UploadField
from ntm.households.models import Household
from ntm.ocop.models import Entity, Product
from ntm.units.geometry import GeometryError
from ntm.units.layers import SYSTEM_CHOICES, system
from ntm.units.models import Unit
from ntm.units.scope import within_paths

from . import epcis, permissions
from .geometry import read_boundary, read_drawn
from .labels import LAYOUTS
from .models import Certificate, DiaryEntry, Event, GrowingArea


def entities_kept_by(user):
    """Entities ``user`` may declare areas and lots for."""
    own = Entity.objects.filter(pk__in=permissions.own_entity_ids(user))
    paths = permissions.office_paths(user)
    if paths:
        own = own | Entity.objects.within_any(paths)
    return own.active().order_by("name")


class AreaForm(forms.ModelForm):
    boundary_file = UploadField(
        "boundary",
        label=_("Tệp ranh giới (GeoJSON, KML hoặc Shapefile nén .zip)"),
        required=False,
        help_text=_(
            "Xuất từ ứng dụng GPS, Google Earth hoặc QGIS; tọa độ WGS 84 hoặc VN-2000."
        ),
    )
    boundary_crs = forms.ChoiceField(
        label=_("Hệ tọa độ của tệp"), choices=SYSTEM_CHOICES, required=False
    )
    drawn = forms.CharField(widget=forms.HiddenInput, required=False)
    household_codes = forms.CharField(
        label=_("Mã hộ tham gia"),
        required=False,
        max_length=2000,
        help_text=_("Mã hộ trong sổ hộ của xã, cách nhau bởi dấu phẩy."),
    )

    class Meta:
        model = GrowingArea
        fields = [
            "entity",
            "name",
            "unit",
            "crop",
            "variety",
            "crop_kind",
            "season",
            "expected_yield_tonnes",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entity"].queryset = entities_kept_by(user)
        self.fields["unit"].queryset = (
            Unit.objects.valid_on().communes().order_by("name")
        )
        self.fields["unit"].label = _("Xã (nơi có vùng trồng)")
        if self.instance.pk:
            del self.fields["entity"]
            self.fields["household_codes"].initial = ", ".join(
                self.instance.households.values_list("code", flat=True)
            )
        # Households are personal data: the office links them, producers not.
        self.office_paths = permissions.office_paths(user)
        if not self.office_paths:
            del self.fields["household_codes"]

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("boundary_file")
        drawn = (cleaned.get("drawn") or "").strip()
        cleaned["boundary"] = None
        try:
            if upload:
                cleaned["boundary"] = read_boundary(
                    upload.read(),
                    upload.name,
                    crs=system(cleaned.get("boundary_crs")),
                )
            elif drawn:
                cleaned["boundary"] = read_drawn(drawn)
        except GeometryError as error:
            self.add_error("boundary_file" if upload else None, str(error))
        missing = cleaned["boundary"] is None and not self.instance.boundary
        if missing and not self.errors:
            self.add_error(
                "boundary_file",
                _("Hãy nhập tệp ranh giới hoặc vẽ vùng trồng trên bản đồ."),
            )
        return cleaned

    def clean_household_codes(self):
        codes = [c.strip() for c in self.cleaned_data["household_codes"].split(",")]
        codes = [c for c in codes if c]
        found = list(
            Household.objects.filter(code__in=codes).filter(
                within_paths(self.office_paths, "village")
            )
        )
        missing = sorted(set(codes) - {h.code for h in found})
        if missing:
            raise forms.ValidationError(
                _("Không có hộ mang mã %(codes)s trong địa bàn của bạn.")
                % {"codes": ", ".join(missing)}
            )
        return found

    def service_fields(self):
        data = dict(self.cleaned_data)
        data.pop("boundary_file", None)
        data.pop("boundary_crs", None)
        data.pop("drawn", None)
        if "household_codes" in data:
            data["households"] = data.pop("household_codes")
        return data


class StepForm(forms.Form):
    on = DateField(label=_("Ngày"))
    reason = forms.CharField(
        label=_("Lý do, kết quả"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    document_number = forms.CharField(
        label=_("Số biên bản / quyết định"), max_length=60, required=False
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class CertificateForm(forms.ModelForm):
    class Meta:
        model = Certificate
        fields = ["kind", "number", "issuer", "issued_on", "valid_until"]
        field_classes = {"issued_on": DateField, "valid_until": DateField}


class DiaryForm(forms.ModelForm):
    """One diary line, laid out for a phone: the kind first, as big buttons."""

    class Meta:
        model = DiaryEntry
        fields = [
            "kind",
            "on",
            "input_name",
            "dose",
            "preharvest_days",
            "quantity_kg",
            "note",
        ]
        field_classes = {"on": DateField}
        widgets = {
            "kind": forms.RadioSelect,
            "preharvest_days": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "quantity_kg": forms.NumberInput(
                attrs={"inputmode": "decimal", "step": "0.01"}
            ),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == DiaryEntry.Kind.PESTICIDE:
            if not cleaned.get("input_name"):
                self.add_error("input_name", _("Ghi tên thuốc đã phun."))
            if cleaned.get("preharvest_days") is None:
                self.add_error(
                    "preharvest_days", _("Ghi thời gian cách ly trên nhãn thuốc.")
                )
        if kind == DiaryEntry.Kind.HARVEST and not cleaned.get("quantity_kg"):
            self.add_error("quantity_kg", _("Ghi sản lượng thu hoạch (kg)."))
        return cleaned


class LotForm(forms.Form):
    product = forms.ModelChoiceField(Product.objects.none(), label=_("Sản phẩm"))
    area = forms.ModelChoiceField(GrowingArea.objects.none(), label=_("Vùng trồng"))
    harvest = forms.ModelChoiceField(
        DiaryEntry.objects.none(),
        label=_("Lần thu hoạch trong nhật ký"),
        required=False,
    )
    number = forms.CharField(
        label=_("Số lô"),
        max_length=20,
        help_text=_("Ví dụ HN-2026-001: chữ không dấu, số, dấu gạch ngang."),
    )
    quantity_kg = forms.DecimalField(
        label=_("Khối lượng (kg)"), min_value=0.01, max_digits=12, decimal_places=2
    )
    produced_on = DateField(
        label=_("Ngày thu hoạch"),
        help_text=_("Lấy theo lần thu hoạch khi đã chọn."),
    )

    def __init__(self, *args, user, area=None, **kwargs):
        kwargs.setdefault("initial", {"produced_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        entities = entities_kept_by(user)
        self.fields["product"].queryset = (
            Product.objects.filter(entity__in=entities).active().order_by("name")
        )
        areas = GrowingArea.objects.coded().filter(entity__in=entities)
        self.fields["area"].queryset = areas.order_by("name")
        self.fields["harvest"].queryset = (
            DiaryEntry.objects.harvests()
            .filter(area__in=areas)
            .select_related("area")
            .order_by("-on")
        )
        self.fields["harvest"].label_from_instance = lambda entry: (
            f"{entry.area.name}: {entry.on:%d/%m/%Y}, {entry.quantity_kg} kg"
        )
        if area is not None:
            self.fields["area"].initial = area.pk


EVENT_KINDS = [
    (kind, label) for kind, label in Event.Kind.choices if kind != epcis.HARVEST
]


class EventForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Sự kiện"), choices=EVENT_KINDS, widget=forms.RadioSelect
    )
    occurred_at = forms.DateTimeField(
        label=_("Thời điểm"),
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        ),
    )
    quantity_kg = forms.DecimalField(
        label=_("Khối lượng (kg)"),
        required=False,
        min_value=0.01,
        help_text=_("Để trống: cả lô."),
    )
    packages = forms.IntegerField(label=_("Số kiện, túi"), required=False, min_value=1)
    packaging = forms.CharField(
        label=_("Quy cách đóng gói"), required=False, max_length=120
    )
    process = forms.CharField(
        label=_("Công đoạn chế biến"), required=False, max_length=200
    )
    output_quantity = forms.DecimalField(
        label=_("Sản lượng sau chế biến"), required=False, min_value=0.01
    )
    output_uom = forms.ChoiceField(
        label=_("Đơn vị"), choices=list(epcis.UNITS.items()), required=False
    )
    destination = forms.CharField(label=_("Nơi nhận"), required=False, max_length=200)
    channel = forms.CharField(
        label=_("Bán cho, kênh bán"),
        required=False,
        max_length=200,
        help_text=_(
            "Tên cửa hàng, siêu thị, sàn; không ghi tên, số điện thoại cá nhân."
        ),
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=255)

    def __init__(self, *args, **kwargs):
        now = timezone.localtime().replace(second=0, microsecond=0)
        kwargs.setdefault("initial", {"occurred_at": now})
        super().__init__(*args, **kwargs)

    def service_fields(self):
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        if "output_quantity" in data:
            data["output_quantity"] = float(data["output_quantity"])
        return data


class LabelForm(forms.Form):
    layout = forms.ChoiceField(
        label=_("Khổ giấy nhãn"),
        choices=[(key, layout.label) for key, layout in LAYOUTS.items()],
    )
    count = forms.IntegerField(
        label=_("Số nhãn"),
        required=False,
        min_value=1,
        max_value=max(layout.per_sheet for layout in LAYOUTS.values()),
        help_text=_("Để trống: cả tờ."),
    )
