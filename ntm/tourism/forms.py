from django import forms
from django.utils.translation import gettext_lazy as _

from ntm.core.forms import DateField
from ntm.core.uploads import UploadField
from ntm.units.forms import LayerUploadForm
from ntm.units.models import Unit

from .models import Route, Site
from .services import SITE_FIELDS

# What staff edit: every field the service writes but the demo flag.
SITE_FORM_FIELDS = [name for name in SITE_FIELDS if name != "is_demo"]


class SiteForm(forms.ModelForm):
    """The fields of a site; the service checks the point and the rules."""

    website = forms.URLField(
        label=_("Trang web"),
        required=False,
        assume_scheme="https",
        max_length=Site._meta.get_field("website").max_length,
    )

    class Meta:
        model = Site
        fields = SITE_FORM_FIELDS

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if self.instance.pk:
            self.fields["code"].disabled = True

    def _post_clean(self):
        # The model's checks run in the service (one rule book for the form
        # and the import); only the fields' own cleaning happens here.
        pass


class PhotoForm(forms.Form):
    image = UploadField("photo", label=_("Ảnh"))
    caption = forms.CharField(label=_("Chú thích"), max_length=200, required=False)
    caption_en = forms.CharField(
        label=_("Chú thích (tiếng Anh)"), max_length=200, required=False
    )
    is_panorama = forms.BooleanField(
        label=_("Ảnh toàn cảnh 360° (tỉ lệ 2:1)"), required=False
    )


class MapFilterForm(forms.Form):
    xa = forms.CharField(required=False, max_length=12)
    loai = forms.ChoiceField(required=False, choices=[("", "")] + Site.Kind.choices)

    commune = None

    def apply(self, sites):
        if not self.is_valid():
            return sites
        if self.cleaned_data["xa"]:
            commune = (
                Unit.objects.valid_on().filter(code=self.cleaned_data["xa"]).first()
            )
            if commune is not None:
                self.commune = commune
                sites = sites.filter(unit__path__startswith=commune.path)
        if self.cleaned_data["loai"]:
            sites = sites.filter(kind=self.cleaned_data["loai"])
        return sites


class AssessmentForm(forms.Form):
    """One field per item of the scoring sheet, 0 to its maximum."""

    assessed_on = DateField(label=_("Ngày chấm"), required=False)

    def __init__(self, *args, sheet, **kwargs):
        super().__init__(*args, **kwargs)
        self.sheet = sheet
        for item in sheet.items:
            unconfirmed = "" if item["confirmed"] else _(" (chưa xác nhận)")
            self.fields[f"item_{item['code']}"] = forms.DecimalField(
                label=f"{item['code']}. {item['name']}",
                min_value=0,
                max_value=item["max_points"],
                decimal_places=1,
                help_text=_("Tối đa %(max)s điểm") % {"max": item["max_points"]}
                + unconfirmed,
            )

    def scores(self):
        return {
            item["code"]: self.cleaned_data[f"item_{item['code']}"]
            for item in self.sheet.items
        }


class RouteForm(forms.ModelForm):
    """A route: its stops are sites' codes in visiting order, one per line."""

    site_codes = forms.CharField(
        label=_("Các điểm theo thứ tự đi"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        help_text=_("Mỗi dòng một mã điểm du lịch (xem ở trang của điểm)."),
    )

    class Meta:
        model = Route
        fields = ["code", "name", "name_en", "unit", "description", "description_en"]

    def __init__(self, *args, units, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.sites = sites

    def clean_site_codes(self):
        codes = self.cleaned_data["site_codes"].split()
        found = {site.code: site for site in self.sites.filter(code__in=codes)}
        missing = [code for code in codes if code not in found]
        if missing:
            raise forms.ValidationError(
                _("Không có điểm mang mã %(codes)s trong địa bàn của bạn.")
                % {"codes": ", ".join(missing)}
            )
        return [found[code] for code in codes]


class SiteLayerForm(LayerUploadForm):
    file_help = _(
        "Mỗi điểm có thuộc tính ma, ten, loai, ma_don_vi (tùy chọn: ten_en,"
        " mo_ta); tọa độ WGS 84 hoặc VN-2000."
    )
