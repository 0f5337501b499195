from django import forms
from django.utils.translation import gettext_lazy as _

from ntm.core.forms import DateField
from ntm.core.uploads import UploadField

from .layers import SYSTEM_CHOICES, system
from .models import today


class DayForm(forms.Form):
    """The ``?ngay=`` of every unit page: which date the codes are read at."""

    ngay = DateField(
        label=_("Ngày"),
        required=False,
        error_messages={"invalid": _("Ngày không hợp lệ; dùng dạng 31/12/2024.")},
    )

    def __init__(self, data=None, *args, **kwargs):
        # A blank picker reads as "no date": show the day the page is read at.
        if data is not None and not data.get("ngay"):
            data = data.copy()
            data["ngay"] = today().isoformat()
        super().__init__(data, *args, **kwargs)

    def day(self):
        """The chosen date, or today when none (or a malformed one) is given."""
        self.is_valid()
        return self.cleaned_data.get("ngay") or today()

    def asked_day(self):
        """The date asked for when it is not today, else None: the pages
        that show a year (figures, matrices) read that date's year."""
        day = self.day()
        return None if day == today() else day

    def past_day(self):
        """The date asked for when it is before today, else None: record
        pages show a past day's records; today and days to come show the
        records as they are."""
        day = self.asked_day()
        return day if day is not None and day < today() else None


class UnitSearchForm(DayForm):
    q = forms.CharField(
        label=_("Tìm đơn vị"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Tên hoặc mã, ví dụ: dai dong")}
        ),
    )

    def apply(self, units):
        """Units valid on the chosen day, matching the search box if filled.

        Without a search the list is a tree down to communes (villages would
        bury it); a search looks at every level.
        """
        units = units.valid_on(self.day())
        if self.query():
            return units.matching(self.query())
        return units.down_to(units.model.Level.COMMUNE)

    def query(self):
        return self.cleaned_data.get("q", "") if self.is_valid() else ""


class LayerUploadForm(forms.Form):
    """A map layer file and its coordinate system: the upload of every page
    that imports a layer (units' boundaries, tourism sites). Subclasses say
    in ``file_help`` what the features must carry."""

    file_help = ""

    file = UploadField(
        "boundary", label=_("Tệp bản đồ (GeoJSON, KML hoặc Shapefile nén .zip)")
    )
    crs = forms.ChoiceField(
        label=_("Hệ tọa độ của tệp"),
        choices=SYSTEM_CHOICES,
        required=False,
        help_text=_("Chỉ chọn khi tệp không khai báo (tệp .prj hoặc crs)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = self.file_help

    def system(self):
        """The chosen coordinate system, or None to read the file's own."""
        return system(self.cleaned_data["crs"])
