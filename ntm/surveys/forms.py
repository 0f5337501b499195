import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ntm.core.forms import DateField
from ntm.core.spreadsheets import XlsxFileField
from ntm.units.models import Unit

from .models import Question, Survey
from .permissions import BUILDERS
from .services import MAX_TEXT_ANSWER


def scopes_for(user):
    """Today's units a user may survey: those held as a builder and below,
    down to communes (a survey covers every household of its unit)."""
    return (
        Unit.objects.valid_on()
        .within_any(user.paths(*BUILDERS))
        .filter(level__lte=Unit.Level.COMMUNE)
        .order_by("path")
    )


class SurveyForm(forms.ModelForm):
    opens_on = DateField(label=_("Mở từ ngày"))
    closes_on = DateField(label=_("Đến hết ngày"))

    class Meta:
        model = Survey
        fields = ["title", "description", "unit", "verification", "publish_results"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = scopes_for(user)
        if self.instance.pk:
            local = timezone.localtime
            self.initial["opens_on"] = local(self.instance.opens_at).date()
            self.initial["closes_on"] = (
                local(self.instance.closes_at) - datetime.timedelta(seconds=1)
            ).date()

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("Ngày đóng phải từ ngày mở trở đi."))
        return data

    def survey_fields(self):
        data = self.cleaned_data
        zone = timezone.get_current_timezone()
        midnight = datetime.time()
        return {
            "title": data["title"],
            "description": data["description"],
            "unit": data["unit"],
            "verification": data["verification"],
            "publish_results": data["publish_results"],
            "opens_at": datetime.datetime.combine(data["opens_on"], midnight, zone),
            "closes_at": datetime.datetime.combine(
                data["closes_on"] + datetime.timedelta(days=1), midnight, zone
            ),
        }


class QuestionForm(forms.ModelForm):
    condition = forms.ChoiceField(
        label=_("Chỉ hiện khi"),
        required=False,
        help_text=_("Để trống nếu luôn hiện câu hỏi."),
    )
    choice_lines = forms.CharField(
        label=_("Các lựa chọn"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Mỗi dòng một lựa chọn, theo thứ tự hiển thị. Thêm dấu * ở đầu dòng "
            "cho lựa chọn được tính là hài lòng."
        ),
    )

    class Meta:
        model = Question
        fields = ["kind", "text", "required", "content_area", "counts_for_satisfaction"]

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.survey = survey
        earlier = survey.questions.filter(
            kind__in=[Question.Kind.SINGLE, Question.Kind.MULTIPLE]
        ).prefetch_related("choices")
        if self.instance.pk:
            earlier = earlier.filter(order__lt=self.instance.order)
        self.options = {}
        choices = [("", "—")]
        for question in earlier:
            for choice in question.choices.all():
                key = f"{question.pk}:{choice.pk}"
                self.options[key] = (question, choice)
                choices.append((key, f"{question.text} → {choice.label}"))
        self.fields["condition"].choices = choices
        if self.instance.pk:
            if self.instance.relevant_choice_id:
                self.initial["condition"] = (
                    f"{self.instance.relevant_question_id}:"
                    f"{self.instance.relevant_choice_id}"
                )
            self.initial["choice_lines"] = "\n".join(
                ("*" if c.satisfied else "") + c.label
                for c in self.instance.choices.all()
            )

    def clean_choice_lines(self):
        lines = []
        for line in self.cleaned_data["choice_lines"].splitlines():
            line = line.strip()
            satisfied = line.startswith("*")
            label = line.lstrip("*").strip()[:300]
            if label:
                lines.append((label, satisfied))
        return lines

    def question_fields(self):
        data = dict(self.cleaned_data)
        question, choice = self.options.get(data.pop("condition"), (None, None))
        data["choices"] = data.pop("choice_lines")
        data["relevant_question"] = question
        data["relevant_choice"] = choice
        return data


class XlsformForm(forms.Form):
    file = XlsxFileField(label=_("Tệp XLSForm (.xlsx)"))
    skip_unsupported = forms.BooleanField(
        label=_("Bỏ qua các câu hỏi chưa hỗ trợ và nhập phần còn lại"), required=False
    )


class VerifyForm(forms.Form):
    code = forms.CharField(label=_("Mã hộ gia đình"), max_length=20)
    secret = forms.CharField(
        label=_("Xác minh"),
        max_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}
        ),
    )


class SendCodeForm(forms.Form):
    code = forms.CharField(label=_("Mã hộ gia đình"), max_length=20)


class AnswerFilterForm(forms.Form):
    """Which open question's answers to read on the staff answers page."""

    cau = forms.ModelChoiceField(
        label=_("Câu hỏi"),
        queryset=Question.objects.none(),
        required=False,
        empty_label=_("Tất cả câu hỏi mở"),
    )

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cau"].queryset = survey.questions.filter(kind=Question.Kind.TEXT)
        self.fields["cau"].label_from_instance = lambda q: f"{q.order}. {q.text}"

    def apply(self, answers):
        question = self.cleaned_data.get("cau") if self.is_valid() else None
        return answers.filter(question=question) if question else answers


class PaperForm(forms.Form):
    code = forms.CharField(label=_("Mã hộ gia đình"), max_length=20)


def raw_answers(questions, data):
    """{question id: [values]} from posted form data, each value capped."""
    return {
        q.pk: [value[: MAX_TEXT_ANSWER + 1] for value in data.getlist(f"q{q.pk}")][:50]
        for q in questions
    }
