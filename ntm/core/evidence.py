"""Evidence files people upload: which types, how large, and a content check.

One rule for every app that takes an evidence file: a PDF, an image, a Word
or Excel file of at most 10 MB whose first bytes agree with its extension
(a renamed program is not a PDF).
"""

from pathlib import Path

from django.utils.translation import gettext as _

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
# Extension → the first bytes such a file starts with (PDF, images, Office).
EVIDENCE_SIGNATURES = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
}


def evidence_problem(upload):
    """What is wrong with an uploaded evidence file, or "" when nothing is."""
    suffix = Path(upload.name).suffix.lower()
    if suffix not in EVIDENCE_SIGNATURES:
        return _("Chỉ nhận tệp PDF, ảnh (JPG, PNG), Word hoặc Excel.")
    if upload.size > EVIDENCE_MAX_BYTES:
        return _("Tệp quá lớn (tối đa 10 MB).")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(EVIDENCE_SIGNATURES[suffix]):
        return _("Nội dung tệp không đúng với đuôi %(suffix)s.") % {"suffix": suffix}
    return ""
