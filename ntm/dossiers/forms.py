import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ntm.core.forms import DateField
from ntm.core.uploads import UploadField

from .models import Dossier

STATUS_FILTER = [("", _("Tất cả trạng thái")), *Dossier.Status.choices]


class DossierFilterForm(forms.Form):
    trang_thai = forms.ChoiceField(
        label=_("Trạng thái"), choices=STATUS_FILTER, required=False
    )

    def apply(self, dossiers):
        if self.is_valid() and self.cleaned_data["trang_thai"]:
            return dossiers.with_status(self.cleaned_data["trang_thai"])
        return dossiers


class DossierForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=None)
    kind = forms.ChoiceField(label=_("Mức đề nghị công nhận"), choices=Dossier.Kind)
    year = forms.IntegerField(label=_("Năm"), min_value=2021, max_value=2030)

    def __init__(self, *args, units, **kwargs):
        kwargs.setdefault("initial", {"year": timezone.localdate().year})
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if units.count() == 1:
            self.fields["unit"].initial = units.first()


class EvidenceForm(forms.Form):
    criterion_number = forms.CharField(widget=forms.HiddenInput, max_length=20)
    file = UploadField("evidence", label=_("Tệp minh chứng"))


class PostingForm(forms.Form):
    posted_on = DateField(
        label=_("Ngày niêm yết"),
    )
    place = forms.CharField(
        label=_("Nơi niêm yết"),
        max_length=200,
        help_text=_("Trụ sở UBND xã, nhà văn hóa thôn, đài truyền thanh xã…"),
    )


class CriterionAppraisalForm(forms.Form):
    """One criterion's line of the council's form; a line left without a
    verdict is a criterion not appraised yet."""

    criterion_number = forms.CharField(widget=forms.HiddenInput, max_length=20)
    verdict = forms.ChoiceField(
        label=_("Hội đồng thẩm định"),
        choices=Dossier.Result,
        required=False,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Ý kiến"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("comment", "").strip() and not cleaned.get("verdict"):
            self.add_error("verdict", _("Chọn Đạt hoặc Chưa đạt cho tiêu chí này."))
        return cleaned


class BaseCriterionAppraisalFormSet(forms.BaseFormSet):
    def verdicts(self):
        """{criterion number: (verdict, comment)} of the lines with a verdict."""
        return {
            form.cleaned_data["criterion_number"]: (
                form.cleaned_data["verdict"],
                form.cleaned_data["comment"],
            )
            for form in self.forms
            if form.cleaned_data.get("verdict")
        }


CriterionAppraisalFormSet = forms.formset_factory(
    CriterionAppraisalForm,
    formset=BaseCriterionAppraisalFormSet,
    extra=0,
    # Sets hold at most a few dozen criteria (19 for communes).
    max_num=60,
    absolute_max=60,
    validate_max=True,
)


class VoteForm(forms.Form):
    """A council member's verdict on the whole dossier."""

    verdict = forms.ChoiceField(
        label=_("Ý kiến của tôi về hồ sơ"),
        choices=Dossier.Result,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Nhận xét"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AppraisalForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Kết luận chung"), choices=Dossier.Result, widget=forms.RadioSelect
    )
    summary = forms.CharField(
        label=_("Ý kiến chung của hội đồng"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecisionForm(forms.Form):
    recognised = forms.TypedChoiceField(
        label=_("Quyết định"),
        choices=[("1", _("Công nhận")), ("0", _("Không công nhận"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    number = forms.CharField(label=_("Số quyết định"), max_length=60)
    date = DateField(
        label=_("Ngày quyết định"),
    )
    signer = forms.CharField(label=_("Người ký"), max_length=150)
    signer_position = forms.CharField(
        label=_("Chức vụ người ký"),
        max_length=150,
        initial=_("Chủ tịch UBND"),
    )


class RevocationForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do thu hồi"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    number = forms.CharField(label=_("Số quyết định thu hồi"), max_length=60)
    date = DateField(
        label=_("Ngày quyết định thu hồi"),
        initial=datetime.date.today,
    )
