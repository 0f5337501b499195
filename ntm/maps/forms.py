from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ntm.accounts.models import Role
from ntm.core.forms import DateField
from ntm.units.forms import LayerUploadForm
from ntm.units.models import Unit, today
from ntm.units.services import UnitError, import_boundary_file

from .queries import Bbox

LEVELS = {"xa": Unit.Level.COMMUNE, "thon": Unit.Level.VILLAGE}


class UnitLayerForm(forms.Form):
    """``?cap=xa&nam=2025&bo=XA_NTM_2021_2025`` or ``&chi-tieu=<code>``."""

    cap = forms.ChoiceField(
        label=_("Cấp"),
        choices=[("xa", _("Xã")), ("thon", _("Thôn"))],
        required=False,
    )
    nam = forms.IntegerField(
        label=_("Năm"), min_value=2000, max_value=2100, required=False
    )
    bo = forms.CharField(label=_("Bộ tiêu chí"), max_length=60, required=False)
    chi_tieu = forms.CharField(label=_("Chỉ tiêu"), max_length=40, required=False)

    def __init__(self, data=None, *args, **kwargs):
        if data is not None:
            data = data.copy()
            # A URL parameter may carry a hyphen; a field name may not.
            data.setdefault("chi_tieu", data.get("chi-tieu", ""))
        super().__init__(data, *args, **kwargs)

    def level(self):
        return LEVELS[self.cleaned_data.get("cap") or "xa"]

    def year(self):
        return self.cleaned_data.get("nam") or timezone.localdate().year


class BboxField(forms.Field):
    """ "west,south,east,north" in degrees (Leaflet's toBBoxString)."""

    default_error_messages = {
        "invalid": _(
            "Khung bản đồ phải là bốn số: tây, nam, đông, bắc (kinh độ, vĩ độ WGS84)."
        )
    }

    def to_python(self, value):
        if not value:
            return None
        if len(value) > 120:
            raise forms.ValidationError(self.error_messages["invalid"])
        try:
            west, south, east, north = (float(part) for part in value.split(","))
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"]) from None
        if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
            raise forms.ValidationError(self.error_messages["invalid"])
        return Bbox(west, south, east, north)


class HouseholdLayerForm(forms.Form):
    bbox = BboxField(label=_("Khung bản đồ"))
    z = forms.IntegerField(label=_("Mức thu phóng"), min_value=0, max_value=22)


class MapSearchForm(forms.Form):
    q = forms.CharField(label=_("Tìm"), max_length=100, required=False)


class BoundaryImportForm(LayerUploadForm):
    """A boundary file for the units of the administrator's district."""

    file_help = _(
        "Mỗi đối tượng là một đơn vị, có thuộc tính mang mã đơn vị (mã GSO);"
        " tọa độ WGS 84 hoặc VN-2000."
    )
    code_property = forms.CharField(
        label=_("Thuộc tính chứa mã đơn vị"), max_length=40, initial="ma"
    )
    on = DateField(
        label=_("Mã đơn vị hiểu theo ngày"),
        required=False,
        help_text=_("Để trống: hôm nay. Dùng ngày cũ cho tệp trước sắp xếp 2025."),
    )
    source = forms.CharField(
        label=_("Nguồn ranh giới"),
        max_length=200,
        required=False,
        help_text=_("Ví dụ: Sở Nông nghiệp và Môi trường, bản đồ địa chính 2024."),
    )

    def import_for(self, user):
        """Import the file as ``user``, within the units they administer;
        (units, repaired features), or None with the reason on the form."""
        data = self.cleaned_data
        upload = data["file"]
        try:
            return import_boundary_file(
                upload.read(),
                upload.name,
                code_property=data["code_property"],
                on=data["on"] or today(),
                crs=self.system(),
                by=user,
                source=data["source"],
                within=user.paths(Role.DISTRICT_ADMIN),
            )
        except UnitError as error:
            self.add_error("file", str(error))
            return None
