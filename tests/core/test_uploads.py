"""The one upload checker, and every upload in the project wearing it."""

import importlib
import io
import pkgutil

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from openpyxl import Workbook

import ntm
from ntm.core.uploads import (
    BOUNDARY,
    EVIDENCE,
    RULES,
    SCORING_SHEET,
    SPREADSHEET,
    UploadValidator,
    check_upload,
)

PDF = b"%PDF-1.7\n%\xe2\xe3\n1 0 obj"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF"
PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00"  # a Windows .exe
ELF = b"\x7fELF\x02\x01\x01"
HTML = b"<!DOCTYPE html><html><script>alert(1)</script></html>"
GEOJSON = b'\xef\xbb\xbf  {"type": "FeatureCollection", "features": []}'
KML = b'<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"></kml>'


def workbook_bytes():
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


def upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("rule", "name", "content"),
    [
        (EVIDENCE, "bien-ban.pdf", PDF),
        (EVIDENCE, "anh.PNG", PNG),
        (EVIDENCE, "anh.jpg", JPEG),
        (EVIDENCE, "bang.xlsx", b"PK\x03\x04rest"),
        (SPREADSHEET, "ho.xlsx", None),
        (BOUNDARY, "vung.geojson", GEOJSON),
        (BOUNDARY, "vung.kml", KML),
        (SCORING_SHEET, "phieu.json", b'[{"code": "A"}]'),
    ],
)
def test_upload_rule_takes_files_that_are_what_they_say(rule, name, content):
    content = workbook_bytes() if content is None else content

    assert rule.problem(upload(name, content)) == ""


@pytest.mark.parametrize("rule_name", sorted(RULES))
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (PROGRAM, "chương trình chạy được"),
        (ELF, "chương trình chạy được"),
        (HTML, "trang web (HTML)"),
    ],
)
def test_upload_rule_refuses_programs_and_web_pages_under_any_extension(
    rule_name, content, message
):
    rule = RULES[rule_name]
    for suffix in rule.types:
        problem = rule.problem(upload(f"tep{suffix}", content))

        assert message in problem
        assert f"đuôi {suffix}" in problem


@pytest.mark.parametrize(
    ("rule", "name", "content", "message"),
    [
        (EVIDENCE, "anh.png", b"GIF89a", "không đúng với đuôi .png"),
        (EVIDENCE, "anh.png", b"  <svg onload=alert(1)>", "trang web"),
        (EVIDENCE, "virus.exe", PROGRAM, "Chỉ nhận tệp PDF"),
        (EVIDENCE, "to.pdf", PDF + b"0" * (10 * 1024 * 1024), "Tệp quá lớn"),
        (SPREADSHEET, "ho.xlsx", b"PK\x03\x04 not a zip", "không phải là tệp Excel"),
        (SPREADSHEET, "ho.csv", b"a,b", "đuôi .xlsx"),
        (BOUNDARY, "vung.geojson", b"vung trong", "không đúng với đuôi"),
        (BOUNDARY, "vung.kml", b"<html><body>", "trang web"),
        (SCORING_SHEET, "phieu.json", b"\x00\x01", "không đúng với đuôi .json"),
    ],
)
def test_upload_rule_refuses_in_vietnamese(rule, name, content, message):
    with pytest.raises(ValidationError, match=message):
        check_upload(upload(name, content), rule)


def test_upload_rule_leaves_the_file_at_its_start():
    file = upload("bien-ban.pdf", PDF)

    EVIDENCE.problem(file)

    assert file.read() == PDF


# -- every upload in the project carries the checker --------------------------

SKIPPED = (".migrations", ".management", ".settings", ".wsgi")


def _import_every_module():
    for module in pkgutil.walk_packages(ntm.__path__, "ntm."):
        if not any(part in module.name for part in SKIPPED):
            importlib.import_module(module.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _form_upload_fields():
    _import_every_module()
    found = set()
    for form in _subclasses(forms.BaseForm):
        if not form.__module__.startswith("ntm."):
            continue
        for name, field in getattr(form, "base_fields", {}).items():
            if isinstance(field, forms.FileField):
                found.add((f"{form.__module__}.{form.__qualname__}", name, field))
    return sorted(found, key=lambda item: item[:2])


def _model_upload_fields():
    return sorted(
        (
            (f"{model._meta.label}.{field.name}", field)
            for model in apps.get_models()
            if model.__module__.startswith("ntm.")
            for field in model._meta.get_fields()
            # A file the platform writes itself (an export) is not editable.
            if isinstance(field, models.FileField) and field.editable
        ),
        key=lambda item: item[0],
    )


FORM_FIELDS = _form_upload_fields()
MODEL_FIELDS = _model_upload_fields()


def test_the_inventory_finds_the_known_uploads():
    names = {f"{form}.{name}" for form, name, _field in FORM_FIELDS}

    assert {
        "ntm.core.spreadsheets.importing.ImportForm.file",
        "ntm.dossiers.forms.EvidenceForm.file",
        "ntm.indicators.forms.EvidenceForm.file",
        "ntm.ocop.forms.GreenChainForm.evidence_upload",
        "ntm.ocop.forms.SheetUploadForm.file",
        "ntm.plans.forms.TaskUpdateForm.evidence",
        "ntm.surveys.forms.XlsformForm.file",
        "ntm.traceability.forms.AreaForm.boundary_file",
    } <= names
    assert {label for label, _field in MODEL_FIELDS} >= {
        "dossiers.DossierEvidence.file",
        "indicators.Evidence.file",
        "ocop.GreenChain.evidence_file",
        "plans.TaskUpdate.evidence",
    }


@pytest.mark.parametrize(
    "field",
    [f for *_names, f in FORM_FIELDS],
    ids=[f"{a}.{b}" for a, b, _ in FORM_FIELDS],
)
def test_every_form_upload_field_is_checked_by_content(field):
    assert any(isinstance(v, UploadValidator) for v in field.validators)


@pytest.mark.parametrize(
    "field", [f for _label, f in MODEL_FIELDS], ids=[label for label, _ in MODEL_FIELDS]
)
def test_every_model_file_field_is_checked_by_content(field):
    assert any(isinstance(v, UploadValidator) for v in field.validators)


@pytest.mark.parametrize(
    ("form", "name", "field"), FORM_FIELDS, ids=[f"{a}.{b}" for a, b, _ in FORM_FIELDS]
)
def test_every_form_upload_field_refuses_a_renamed_program(form, name, field):
    suffix = next(iter(field.rule.types))

    with pytest.raises(ValidationError, match="chương trình chạy được"):
        field.clean(upload(f"tep{suffix}", PROGRAM))
