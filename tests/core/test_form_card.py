from django import forms
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory


class NoteForm(forms.Form):
    note = forms.CharField(label="Ghi chú")


class EvidenceForm(forms.Form):
    file = forms.FileField(label="Tệp")


def _card(form, **context):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    return render_to_string(
        "_form_card.html", {"form": form, **context}, request=request
    )


def test_form_card_shows_the_fields_save_and_the_cancel_link():
    html = _card(NoteForm(), cancel="/ve-lai/", card_class="household-form")

    assert 'class="card household-form"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'name="note"' in html
    assert '<a class="button secondary" href="/ve-lai/">Hủy</a>' in html
    assert "enctype" not in html


def test_form_card_sends_files_when_the_form_has_a_file_field():
    html = _card(EvidenceForm())

    assert 'enctype="multipart/form-data"' in html
    assert "Hủy" not in html


def test_form_card_shows_the_form_errors():
    form = NoteForm({"note": ""})
    form.is_valid()
    form.add_error(None, "Trùng mã.")

    html = _card(form, cancel="/")

    assert "Trùng mã." in html
    assert "errorlist" in html
