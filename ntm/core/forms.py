"""Form pieces every app uses the same way."""

from django import forms


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
