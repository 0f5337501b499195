from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ntm.units.models import Unit

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
