import copy
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ntm.accounts.models import Role, User
from ntm.cooperatives.models import Cooperative, LinkageModel
from ntm.core.forms import DateField
from ntm.core.uploads import UploadField
from ntm.households.models import EcommercePlatform, Household
from ntm.units.models import Unit

from .gs1 import normalize_gtin
from .models import (
    CouncilLevel,
    Entity,
    EvaluationRound,
    GreenChain,
    Product,
    ProductGroup,
    SalesChannel,
)
from .permissions import keeper_paths, round_keeper_paths


def https_links(field, **kwargs):
    """Model fields as form fields; a link typed without a scheme is https."""
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        label = f"{obj.name} — {obj.parent.name}" if obj.parent_id else obj.name
        if obj.valid_to:
            label += f" ({obj.validity_display})"
        return label


def entity_units(user, current=None):
    """Communes and villages (every version) the user keeps, by lineage: an
    entity registered under a commune merged in 2025 stays there."""
    units = (
        Unit.objects.filter(level__in=[Unit.Level.COMMUNE, Unit.Level.VILLAGE])
        .within_any(keeper_paths(user), lineage=True)
        .select_related("parent")
        .defer("boundary", "parent__boundary")
        .order_by("-valid_from", "path")
    )
    if current is not None:
        units = units | Unit.objects.filter(pk=current.pk)
    return units


class EntityFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm kiếm"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Tên, mã số, địa chỉ…")}
        ),
    )
    kind = forms.ChoiceField(
        choices=[("", _("Mọi loại hình")), *Entity.Kind.choices],
        required=False,
        label=_("Loại hình"),
    )

    def apply(self, entities):
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("q"):
            entities = entities.matching(data["q"])
        if data.get("kind"):
            entities = entities.filter(kind=data["kind"])
        return entities


class EntityForm(forms.ModelForm):
    """Every field of an entity, for the keepers of the register."""

    unit = UnitChoiceField(queryset=None, label=_("Xã / thôn đăng ký"))
    household_code = forms.CharField(
        label=_("Mã hộ (hộ sản xuất, kinh doanh)"),
        max_length=20,
        required=False,
        help_text=_("Mã hộ trong sổ hộ gia đình, để tính chỉ tiêu thôn thông minh."),
    )
    accounts = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Tài khoản của chủ thể"),
        help_text=_("Người dùng có vai trò Chủ thể sản xuất được sửa hồ sơ này."),
    )

    class Meta:
        formfield_callback = https_links
        model = Entity
        fields = [
            "code",
            "name",
            "kind",
            "unit",
            "cooperative",
            "household_code",
            "address",
            "representative",
            "representative_phone",
            "contact_phone",
            "contact_email",
            "website",
            "contact_is_public",
            "gs1_company_prefix",
            "gln",
            "accounts",
            "is_active",
        ]
        widgets = {
            "representative_phone": forms.TextInput(attrs={"type": "tel"}),
            "contact_phone": forms.TextInput(attrs={"type": "tel"}),
            "gs1_company_prefix": forms.TextInput(attrs={"inputmode": "numeric"}),
            "gln": forms.TextInput(attrs={"inputmode": "numeric"}),
        }

    def __init__(self, *args, user, instance=None, **kwargs):
        # The service compares the record before and after the change, so
        # the form must not write the submitted values into the caller's.
        super().__init__(*args, instance=copy.copy(instance), **kwargs)
        current = instance.unit if instance is not None else None
        self.fields["unit"].queryset = entity_units(user, current)
        self.fields["cooperative"].queryset = Cooperative.objects.order_by("name")
        self.fields["cooperative"].required = False
        self.fields["accounts"].queryset = User.objects.filter(
            memberships__role=Role.PRODUCER
        ).distinct()
        if instance is not None and instance.household_id:
            self.initial["household_code"] = instance.household.code

    def validate_unique(self):
        # The service words the message about a code already in use.
        pass

    def clean_household_code(self):
        code = self.cleaned_data["household_code"].strip()
        if not code:
            return None
        household = Household.objects.filter(code=code).first()
        if household is None:
            raise ValidationError(
                _("Không có hộ nào mang mã %(code)s."), params={"code": code}
            )
        return household

    def service_fields(self):
        fields = dict(self.cleaned_data)
        fields["household"] = fields.pop("household_code")
        return fields


class ProducerEntityForm(forms.ModelForm):
    """What the entity's own producer account may change: its profile."""

    class Meta:
        formfield_callback = https_links
        model = Entity
        fields = [
            "name",
            "address",
            "representative",
            "representative_phone",
            "contact_phone",
            "contact_email",
            "website",
            "contact_is_public",
            "gs1_company_prefix",
            "gln",
        ]
        widgets = EntityForm.Meta.widgets

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, instance=copy.copy(instance), **kwargs)

    def service_fields(self):
        return dict(self.cleaned_data)


class ProductFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm kiếm"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Tên sản phẩm, chủ thể…")}
        ),
    )
    group = forms.ChoiceField(
        choices=[("", _("Mọi nhóm")), *ProductGroup.choices],
        required=False,
        label=_("Nhóm sản phẩm"),
    )
    stars = forms.TypedChoiceField(
        choices=[("", _("Mọi hạng"))] + [(n, f"{n} ★") for n in (5, 4, 3)],
        coerce=int,
        empty_value=None,
        required=False,
        label=_("Hạng sao (còn hiệu lực)"),
    )

    def apply(self, products):
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("q"):
            products = products.matching(data["q"])
        if data.get("group"):
            products = products.filter(group=data["group"])
        if data.get("stars"):
            products = products.filter(current_stars=data["stars"])
        return products


class ProductForm(forms.ModelForm):
    gtin = forms.CharField(
        label=_("Mã GTIN"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        help_text=_("Mã vạch 8, 12, 13 hoặc 14 chữ số (mã quốc gia Việt Nam 893)."),
    )

    class Meta:
        model = Product
        fields = ["name", "group", "description", "gtin", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, instance=copy.copy(instance), **kwargs)

    def validate_unique(self):
        pass

    def clean_gtin(self):
        text = self.cleaned_data["gtin"]
        return normalize_gtin(text) if text.strip() else ""


class SalesChannelForm(forms.ModelForm):
    class Meta:
        formfield_callback = https_links
        model = SalesChannel
        fields = [
            "kind",
            "platform",
            "name",
            "url",
            "product",
            "listed_from",
            "listed_to",
            "note",
        ]
        field_classes = {"listed_from": DateField, "listed_to": DateField}
        widgets = {
            "url": forms.URLInput(attrs={"placeholder": "https://"}),
        }
        help_texts = {
            "listed_to": _("Để trống khi còn đang bán."),
            "url": _("Bắt buộc với gian hàng trên sàn thương mại điện tử."),
        }

    def __init__(self, *args, entity, instance=None, **kwargs):
        super().__init__(*args, instance=copy.copy(instance), **kwargs)
        self.fields["product"].queryset = entity.products.all()
        self.fields["platform"].queryset = EcommercePlatform.objects.all()

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == SalesChannel.Kind.ECOMMERCE:
            if not cleaned.get("url"):
                self.add_error("url", _("Hãy dán đường dẫn của gian hàng."))
            if not cleaned.get("platform") and not cleaned.get("name"):
                self.add_error("platform", _("Hãy chọn sàn hoặc ghi tên gian hàng."))
        elif kind and not cleaned.get("name"):
            self.add_error("name", _("Hãy ghi tên siêu thị hoặc cửa hàng."))
        first, last = cleaned.get("listed_from"), cleaned.get("listed_to")
        if first and last and last < first:
            self.add_error(
                "listed_to", _("Ngày kết thúc không được trước ngày bắt đầu.")
            )
        return cleaned


class GreenChainForm(forms.ModelForm):
    evidence_upload = UploadField("evidence", label=_("Tệp minh chứng"), required=False)

    class Meta:
        formfield_callback = https_links
        model = GreenChain
        fields = [
            "kind",
            "description",
            "linkage_model",
            "raw_material_area",
            "area_ha",
            "evidence_upload",
            "evidence_url",
            "valid_from",
            "valid_to",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"valid_from": DateField, "valid_to": DateField}
        help_texts = {"valid_to": _("Để trống khi chuỗi còn hoạt động.")}

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, instance=copy.copy(instance), **kwargs)
        self.has_file = bool(instance is not None and instance.evidence_file)
        self.fields["linkage_model"].queryset = (
            LinkageModel.objects.active()
            .with_raw_material_area()
            .select_related("cooperative")
        )

    def clean(self):
        cleaned = super().clean()
        if not (
            cleaned.get("evidence_upload")
            or cleaned.get("evidence_url")
            or self.has_file
        ):
            self.add_error(
                "evidence_url", _("Cần tệp minh chứng hoặc liên kết minh chứng.")
            )
        if not cleaned.get("linkage_model") and not cleaned.get("raw_material_area"):
            self.add_error(
                "raw_material_area",
                _(
                    "Chọn mô hình liên kết có vùng nguyên liệu hoặc ghi tên vùng "
                    "nguyên liệu."
                ),
            )
        first, last = cleaned.get("valid_from"), cleaned.get("valid_to")
        if first and last and last < first:
            self.add_error(
                "valid_to", _("Ngày kết thúc không được trước ngày bắt đầu.")
            )
        return cleaned

    def service_fields(self):
        fields = dict(self.cleaned_data)
        upload = fields.pop("evidence_upload")
        return fields, upload


class RoundForm(forms.ModelForm):
    unit = UnitChoiceField(queryset=None, label=_("Địa bàn"))

    class Meta:
        model = EvaluationRound
        fields = ["name", "year", "council_level", "unit", "held_on", "note"]
        field_classes = {"held_on": DateField}
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, instance=None, **kwargs):
        super().__init__(*args, instance=copy.copy(instance), **kwargs)
        self.fields["unit"].queryset = (
            Unit.objects.filter(level__in=[Unit.Level.PROVINCE, Unit.Level.DISTRICT])
            .within_any(round_keeper_paths(user))
            .select_related("parent")
            .defer("boundary", "parent__boundary")
            .order_by("-valid_from", "path")
        )
        self.fields["year"].widget.attrs.update(min=2019, max=2035)
        self.fields["council_level"].choices = CouncilLevel.choices


class EnterProductForm(forms.Form):
    product = forms.ModelChoiceField(queryset=None, label=_("Sản phẩm"))

    def __init__(self, *args, products, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products


class ScoringForm(forms.Form):
    """One field per criterion of the sheet: the whole sheet on one page."""

    def __init__(self, *args, evaluation, **kwargs):
        super().__init__(*args, **kwargs)
        given = {s.criterion_id: s.points for s in evaluation.scores.all()}
        self.parts = []
        for part in evaluation.sheet.parts.prefetch_related("criteria"):
            names = []
            for criterion in part.criteria.all():
                name = f"c{criterion.pk}"
                self.fields[name] = forms.DecimalField(
                    label=f"{criterion.number}. {criterion.name}",
                    min_value=Decimal(0),
                    max_value=criterion.max_points,
                    decimal_places=2,
                    max_digits=5,
                    initial=given.get(criterion.pk),
                    help_text=_("Tối đa %(max)s điểm")
                    % {
                        "max": f"{criterion.max_points.normalize():f}".replace(".", ",")
                    },
                    widget=forms.NumberInput(
                        attrs={"step": "0.25", "inputmode": "decimal"}
                    ),
                )
                self.fields[name].criterion = criterion
                names.append(name)
            self.parts.append((part, [self[name] for name in names]))

    def points(self):
        return {
            field.criterion.pk: self.cleaned_data[name]
            for name, field in self.fields.items()
        }


class SendBackForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do trả lại"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CertifyForm(forms.Form):
    number = forms.CharField(label=_("Số quyết định / giấy chứng nhận"), max_length=60)
    certificate_date = DateField(label=_("Ngày cấp"))


class SheetUploadForm(forms.Form):
    file = UploadField(
        "scoring_sheet",
        label=_("Tệp phiếu chấm (.json)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,application/json"}),
    )
    force = forms.BooleanField(
        label=_("Nạp đè phiếu cùng phiên bản (khi chưa dùng để chấm)"), required=False
    )
