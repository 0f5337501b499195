import copy

from django import forms
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _

from ntm.accounts.models import Office
from ntm.core.forms import DateField
from ntm.core.uploads import UploadField
from ntm.units.models import Unit

from .models import (
    BudgetLine,
    EssentialService,
    KeyTask,
    PilotCommune,
    TaskUpdate,
    WorkDossierTally,
)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if obj.valid_to or obj.valid_from:
            return f"{obj.name} ({obj.code}, {obj.validity_display})"
        return f"{obj.name} ({obj.code})"


def _unit_field(units, label):
    return UnitChoiceField(
        queryset=Unit.objects.filter(pk__in=[u.pk for u in units]).order_by(
            "level", "path", "valid_from"
        ),
        label=label,
    )


class YearForm(forms.Form):
    nam = forms.IntegerField(label=_("Năm"), min_value=2015, max_value=2100)


class RecordForm(forms.ModelForm):
    """A record of a unit; ``units`` are those the user may keep."""

    def __init__(self, *args, units, instance=None, **kwargs):
        # The service compares before and after, so the form must not write
        # into the caller's object while validating.
        super().__init__(*args, instance=copy.copy(instance), **kwargs)
        self.fields["unit"] = _unit_field(units, self.fields["unit"].label)

    def service_fields(self):
        return dict(self.cleaned_data)


class TallyForm(RecordForm):
    class Meta:
        model = WorkDossierTally
        fields = ["year", "unit", "office", "total", "online", "secret", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class ServiceForm(RecordForm):
    class Meta:
        model = EssentialService
        fields = ["unit", "field", "name", "url", "started_on", "ended_on"]
        field_classes = {"started_on": DateField, "ended_on": DateField}


class PilotForm(RecordForm):
    class Meta:
        model = PilotCommune
        fields = [
            "unit",
            "field",
            "decision_number",
            "decision_date",
            "started_on",
            "status",
            "note",
        ]
        field_classes = {"decision_date": DateField, "started_on": DateField}
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class TaskForm(forms.ModelForm):
    cooperating_offices = forms.MultipleChoiceField(
        label=_("Phòng phối hợp"),
        choices=Office.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = KeyTask
        fields = [
            "number",
            "title",
            "lead_office",
            "cooperating_offices",
            "cooperating_others",
            "deadline",
            "status",
            "progress",
            "note",
        ]
        field_classes = {"deadline": DateField}
        widgets = {
            "note": forms.Textarea(attrs={"rows": 3}),
            "title": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, instance=None, **kwargs):
        super().__init__(*args, instance=copy.copy(instance), **kwargs)
        self.fields["progress"].widget.attrs.update(min=0, max=100)

    def service_fields(self):
        return dict(self.cleaned_data)


class TaskFilterForm(forms.Form):
    phong = forms.ChoiceField(
        label=_("Cơ quan chủ trì"),
        choices=[("", _("Tất cả"))] + Office.choices,
        required=False,
    )
    tinh_trang = forms.ChoiceField(
        label=_("Tình trạng"),
        choices=[("", _("Tất cả"))] + KeyTask.Status.choices,
        required=False,
    )
    qua_han = forms.BooleanField(label=_("Chỉ nhiệm vụ quá hạn"), required=False)

    def apply(self, tasks):
        data = self.cleaned_data
        if data.get("phong"):
            tasks = tasks.led_by(data["phong"])
        if data.get("tinh_trang"):
            tasks = tasks.filter(status=data["tinh_trang"])
        if data.get("qua_han"):
            tasks = tasks.overdue()
        return tasks


class TaskUpdateForm(forms.ModelForm):
    evidence = UploadField("evidence", label=_("Tệp minh chứng"), required=False)

    class Meta:
        model = TaskUpdate
        fields = ["date", "status", "progress", "text", "evidence"]
        field_classes = {"date": DateField}
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["progress"].widget.attrs.update(min=0, max=100)

    def service_fields(self):
        return dict(self.cleaned_data)


class BudgetLineForm(forms.ModelForm):
    task = forms.ModelChoiceField(queryset=None, label=_("Nhiệm vụ"))

    class Meta:
        model = BudgetLine
        fields = ["task", "year", "source", "allocated", "disbursed", "note"]

    def __init__(self, *args, plan, instance=None, **kwargs):
        super().__init__(*args, instance=copy.copy(instance), **kwargs)
        self.fields["task"].queryset = plan.tasks.order_by(Length("number"), "number")
        self.fields["year"].widget.attrs.update(min=plan.first_year, max=plan.last_year)

    def service_fields(self):
        return dict(self.cleaned_data)
