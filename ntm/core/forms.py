"""Form pieces every app uses the same way."""

from django import forms
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    """The browser's date picker.

    ``<input type=date>`` reads and sends ISO dates (yyyy-mm-dd) whatever it
    shows the user; a value rendered in the Vietnamese dd/mm/yyyy leaves the
    field blank. So the widget always renders ISO, and the page still shows
    the date the Vietnamese way, as the browser's locale does.
    """

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateField(forms.DateField):
    """A date from the picker (ISO), or typed as 31/12/2025 where a browser
    has no picker."""

    widget = DateInput
    input_formats = ["%Y-%m-%d", "%d/%m/%Y"]


class ExportForm(forms.Form):
    """The request of an export job: its purpose when it holds personal data
    (Decree 13/2023: processed only for a stated purpose)."""

    purpose = forms.CharField(
        label=_("Mục đích sử dụng"),
        max_length=200,
        help_text=_(
            "Ví dụ: rà soát hộ chưa có cáp quang của xã; lập danh sách hộ "
            "tham gia tập huấn. Ghi vào tệp và nhật ký thao tác."
        ),
    )

    def __init__(self, *args, personal, **kwargs):
        super().__init__(*args, **kwargs)
        if not personal:
            del self.fields["purpose"]


def filter_summary(form):
    """(label, value shown) of each filter a bound filter form was given, for
    the request page of an export ("Xã: Đại Hiệp", "Cáp quang: Có")."""
    if not form.is_valid():
        return []
    shown = []
    for name, value in form.cleaned_data.items():
        if value in (None, "", False, [], ()):
            continue
        field = form.fields[name]
        if value is True:
            value = _("Có")
        elif isinstance(field, forms.ChoiceField) and not isinstance(
            field, forms.ModelChoiceField
        ):
            value = dict(field.choices).get(value, value)
        shown.append((field.label, value))
    return shown


def export_params(form):
    """The filters of ``form`` as given (its data minus the page number),
    which an export job stores and its builder binds the form to again."""
    data = form.data.dict() if hasattr(form.data, "dict") else dict(form.data)
    data.pop("page", None)
    return {name: value for name, value in data.items() if name in form.fields}
