"""Every file people upload: which types, how large, and what is inside.

One checker for every upload in the project. Each use names its rule (the
allowed extensions, what a file of each must start with, the largest size)
as data in RULES; forms take ``UploadField(rule)`` and model file fields
``validators=[UploadValidator(rule)]``; a service that receives a file
outside a form calls ``check_upload``. A file is refused when its extension
is not allowed, when it is too large, when its first bytes disagree with its
extension (a renamed program is not a PDF, an HTML page is not a PNG), and
whatever its extension when it is a program or a web page.
"""

import zipfile
from dataclasses import dataclass
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MB = 1024 * 1024
HEAD_BYTES = 512
# What a text file of these kinds starts with, after a BOM and blank space.
JSON_START = (b"{", b"[")
XML_START = (b"<?xml", b"<kml")
ZIP = (b"PK\x03\x04",)
OLE = (b"\xd0\xcf\x11\xe0",)  # .doc, .xls (Office 97–2003)
# Whatever the extension says: programs and web pages are never taken.
PROGRAMS = (b"MZ", b"\x7fELF", b"#!", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")
WEB_PAGES = (b"<!doctype html", b"<html", b"<script", b"<svg", b"<?php")


@dataclass(frozen=True)
class UploadRule:
    """What one kind of upload may be: ``types`` maps an extension to the
    first bytes its files start with; ``max_bytes`` None means the site's
    UPLOAD_MAX_BYTES."""

    kinds: str  # for the message: "PDF, ảnh (JPG, PNG), Word hoặc Excel"
    types: dict
    max_bytes: int | None = None
    text: bool = False  # JSON or XML: the start is read after a BOM and spaces
    zip_package: bool = False  # .xlsx/.docx must open as a zip package
    mismatch: str = ""  # the message when the content is not of the type

    @property
    def limit(self):
        return self.max_bytes or settings.UPLOAD_MAX_BYTES

    @property
    def accept(self):
        return ",".join(self.types)

    def help_text(self):
        return _("%(kinds)s; tối đa %(size)s.") % {
            "kinds": self.kinds,
            "size": filesizeformat(self.limit),
        }

    def problem(self, upload):
        """What is wrong with ``upload`` (a Django File), or "" if nothing."""
        suffix = Path(upload.name or "").suffix.lower()
        if suffix not in self.types:
            return _("Chỉ nhận tệp %(kinds)s.") % {"kinds": self.kinds}
        if upload.size > self.limit:
            return _("Tệp quá lớn (tối đa %(size)s).") % {
                "size": filesizeformat(self.limit)
            }
        head = _head(upload)
        folded = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if head.startswith(PROGRAMS):
            return _(
                "Nội dung tệp không đúng với đuôi %(suffix)s: đây là một chương"
                " trình chạy được, không nhận."
            ) % {"suffix": suffix}
        if folded.startswith(WEB_PAGES):
            return _(
                "Nội dung tệp không đúng với đuôi %(suffix)s: đây là một trang web"
                " (HTML), không nhận."
            ) % {"suffix": suffix}
        # Text kinds may start after a BOM or blank space; binary ones may not.
        binary = self.types[suffix] in (ZIP, OLE)
        start = folded if self.text and not binary else head
        if not start.startswith(self.types[suffix]) or (
            self.zip_package and not _is_zip(upload)
        ):
            return (
                str(self.mismatch)
                if self.mismatch
                else _(
                    "Nội dung tệp không đúng với đuôi %(suffix)s (tệp có thể đã bị"
                    " đổi tên)."
                )
                % {"suffix": suffix}
            )
        return ""


def _head(upload):
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    return head


def _is_zip(upload):
    try:
        return zipfile.is_zipfile(upload)
    finally:
        upload.seek(0)


EVIDENCE = UploadRule(
    kinds=gettext_lazy("PDF, ảnh (JPG, PNG), Word hoặc Excel"),
    types={
        ".pdf": (b"%PDF",),
        ".png": (b"\x89PNG\r\n\x1a\n",),
        ".jpg": (b"\xff\xd8\xff",),
        ".jpeg": (b"\xff\xd8\xff",),
        ".docx": ZIP,
        ".xlsx": ZIP,
        ".doc": OLE,
        ".xls": OLE,
    },
    max_bytes=10 * MB,
)
SPREADSHEET = UploadRule(
    kinds=gettext_lazy("Excel có đuôi .xlsx"),
    types={".xlsx": ZIP},
    zip_package=True,
    mismatch=gettext_lazy("Tệp không phải là tệp Excel (.xlsx) hợp lệ."),
)
# Spatial layers (ntm.units.layers): a Shapefile comes zipped with its parts.
BOUNDARY = UploadRule(
    kinds=gettext_lazy("GeoJSON, KML hoặc Shapefile nén (.zip)"),
    types={
        ".geojson": JSON_START,
        ".json": JSON_START,
        ".kml": XML_START,
        ".zip": ZIP,
    },
    max_bytes=10 * MB,
    text=True,
)
SCORING_SHEET = UploadRule(
    kinds=gettext_lazy("phiếu chấm JSON (.json)"),
    types={".json": JSON_START},
    max_bytes=2 * MB,
    text=True,
)
# Residents' photos (feedback, re-encoded before they are stored) and
# tourism sites' photos and 360° panoramas.
PHOTO = UploadRule(
    kinds=gettext_lazy("ảnh JPG hoặc PNG"),
    types={
        ".jpg": (b"\xff\xd8\xff",),
        ".jpeg": (b"\xff\xd8\xff",),
        ".png": (b"\x89PNG\r\n\x1a\n",),
    },
    max_bytes=8 * MB,
)
# Every rule by name: model validators name theirs, so migrations stay stable.
RULES = {
    "evidence": EVIDENCE,
    "spreadsheet": SPREADSHEET,
    "boundary": BOUNDARY,
    "scoring_sheet": SCORING_SHEET,
    # The know-how library publishes the same kinds of document.
    "guide": EVIDENCE,
    "photo": PHOTO,
    # A village head's announcement to residents (ntm/channel).
    "announcement": EVIDENCE,
}


def check_upload(upload, rule, error=ValidationError):
    """Raise ``error`` with the Vietnamese reason when ``upload`` breaks ``rule``."""
    problem = rule.problem(upload)
    if problem:
        raise error(problem)
    return upload


@deconstructible
class UploadValidator:
    """The validator of a model file field: ``UploadValidator("evidence")``."""

    def __init__(self, rule_name):
        self.rule_name = rule_name

    @property
    def rule(self):
        return RULES[self.rule_name]

    def __call__(self, upload):
        if upload:
            check_upload(upload, self.rule)

    def __eq__(self, other):
        return isinstance(other, UploadValidator) and other.rule_name == self.rule_name

    def __hash__(self):
        return hash(self.rule_name)


class UploadField(forms.FileField):
    """A form's file field checked by one rule of RULES."""

    def __init__(self, rule_name, **kwargs):
        self.rule = RULES[rule_name]
        kwargs.setdefault("help_text", lazy(self.rule.help_text, str)())
        kwargs.setdefault(
            "widget", forms.ClearableFileInput(attrs={"accept": self.rule.accept})
        )
        super().__init__(**kwargs)
        self.validators.append(UploadValidator(rule_name))
