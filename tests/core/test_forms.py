import datetime
import importlib
import inspect
import pkgutil

from django import forms

import ntm
from ntm.core.forms import DateField, DateInput


def form_classes():
    for module_info in pkgutil.iter_modules(ntm.__path__):
        # Apps only: importing a plain module (ntm.wsgi) runs it.
        if not module_info.ispkg:
            continue
        try:
            module = importlib.import_module(f"ntm.{module_info.name}.forms")
        except ModuleNotFoundError:
            continue
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                yield cls


def form_fields():
    """(dotted name, field) of every declared field of every app's forms."""
    for cls in form_classes():
        for name, field in cls.base_fields.items():
            yield f"{cls.__module__}.{cls.__name__}.{name}", field


def test_every_date_field_of_every_form_uses_the_shared_picker():
    wrong = [
        name
        for name, field in form_fields()
        if isinstance(field, forms.DateField)
        and not isinstance(field, forms.DateTimeField)
        and not isinstance(field.widget, DateInput)
    ]

    assert wrong == []


def test_date_input_renders_the_iso_date_a_date_picker_reads():
    class Form(forms.Form):
        day = DateField(initial=datetime.date(2026, 10, 1))

    html = str(Form()["day"])

    assert 'type="date"' in html
    assert 'value="2026-10-01"' in html


def test_date_field_reads_the_picker_and_a_typed_vietnamese_date():
    field = DateField()

    assert field.clean("2026-10-01") == datetime.date(2026, 10, 1)
    assert field.clean("01/10/2026") == datetime.date(2026, 10, 1)


def test_every_text_field_of_every_form_has_a_length_limit():
    unlimited = [
        name
        for name, field in form_fields()
        if isinstance(field, forms.CharField)
        and not isinstance(field.widget, forms.HiddenInput)
        and field.max_length is None
    ]

    assert unlimited == []


def test_every_text_column_of_every_model_has_a_length_limit():
    from django.apps import apps
    from django.db import models

    unlimited = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model.__module__.startswith("ntm.")
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField) and field.max_length is None
    ]

    assert unlimited == []
