"""Excel workbooks of the roster: the import template and the list export.

``STAFF`` is the contract between the template, the export and the import
(``imports.py``): an exported file can be edited and imported back.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ntm.core.exports import Exported, ExportError, ExportKind, personal_data
from ntm.core.spreadsheets import Column, Kind, Sheet, build_workbook

from .forms import StaffFilterForm
from .models import ProgramStaff
from .permissions import can_export_roster, keeper_paths

UNITS = Sheet(
    gettext_lazy("Danh sách đơn vị"),
    [
        Column("code", gettext_lazy("Mã đơn vị"), width=12),
        Column("name", gettext_lazy("Tên đơn vị"), width=26),
        Column("parent", gettext_lazy("Trực thuộc"), width=26),
        Column("validity", gettext_lazy("Hiệu lực"), width=26),
    ],
)
STAFF = Sheet(
    gettext_lazy("Cán bộ"),
    [
        Column(
            "year",
            gettext_lazy("Năm"),
            gettext_lazy("Năm của danh sách."),
            required=True,
            width=8,
            kind=Kind.INTEGER,
            number_format="0",
        ),
        Column(
            "code",
            gettext_lazy("Mã cán bộ"),
            gettext_lazy("Giữ nguyên mã của cán bộ qua các năm."),
            required=True,
            width=12,
        ),
        Column(
            "full_name",
            gettext_lazy("Họ và tên"),
            gettext_lazy("Viết có dấu."),
            required=True,
            width=24,
        ),
        Column("position", gettext_lazy("Chức vụ"), width=28),
        Column(
            "unit_code",
            gettext_lazy("Mã đơn vị"),
            gettext_lazy('Mã huyện, xã hoặc thôn, lấy ở trang "Danh sách đơn vị".'),
            required=True,
            width=12,
            lookup=UNITS.name,
        ),
        Column(
            "unit_name",
            gettext_lazy("Tên đơn vị"),
            gettext_lazy("Chỉ để đọc; hệ thống dùng cột Mã đơn vị."),
            informative=True,
            width=24,
        ),
        # Blank is "không" on every import: the column asks about the
        # exception (left the post), so a blank cell keeps the manager on.
        Column(
            "has_left",
            gettext_lazy("Đã thôi đảm nhiệm"),
            gettext_lazy("có: cán bộ đã thôi giữ vị trí trong năm; để trống là không."),
            width=12,
            kind=Kind.YES_NO,
            replaces=gettext_lazy("Đang đảm nhiệm"),
        ),
    ],
)


def build_template(units):
    rows = [
        [unit.code, unit.name, str(unit.parent or ""), str(unit.validity_display)]
        for unit in units
    ]
    return build_workbook(
        (STAFF, []), (UNITS, rows), instructions=_instructions(), template=True
    )


def export_staff(entries, *, progress=None, personal_data=None):
    rows = (
        [
            staff.year,
            staff.code,
            staff.full_name,
            staff.position,
            staff.unit.code,
            staff.unit.name,
            not staff.is_active,
        ]
        for staff in entries.iterator(chunk_size=2000)
    )
    return build_workbook(
        (STAFF, progress.track(rows) if progress else rows),
        notes=[(_("Bảng"), _("Danh sách cán bộ quản lý Chương trình NTM"))],
        demo=entries.filter(is_demo=True).exists(),
        personal_data=personal_data,
    )


def roster_selection(user, params):
    """The filter form bound to ``params`` and the roster entries it selects
    among those ``user`` keeps."""
    form = StaffFilterForm(params, user=user)
    entries = ProgramStaff.objects.within_any(keeper_paths(user), lineage=True)
    return form, form.apply(entries)


def build_roster(job, progress):
    user = job.requested_by
    if not can_export_roster(user):
        raise ExportError(_("Bạn không còn quyền xuất danh sách cán bộ."))
    form, entries = roster_selection(user, job.params)
    if form.asks_outside_scope:
        raise ExportError(_("Bộ lọc có đơn vị ngoài phạm vi của bạn."))
    entries = entries.select_related("unit")
    progress.start(entries.count())
    content = export_staff(entries, progress=progress, personal_data=personal_data(job))
    return Exported(content, progress.done)


ROSTER_EXPORT = ExportKind(
    name="knowledge.roster",
    title=gettext_lazy("Danh sách cán bộ quản lý Chương trình NTM"),
    stem="danh-sach-can-bo",
    build=build_roster,
    personal=True,
    personal_fields=gettext_lazy("họ tên, chức vụ, nơi công tác của cán bộ"),
)


def _instructions():
    return [
        _("HƯỚNG DẪN NHẬP DANH SÁCH CÁN BỘ QUẢN LÝ CHƯƠNG TRÌNH NTM"),
        "",
        _('1. Mỗi dòng của trang "Cán bộ" là một cán bộ trong danh sách của một năm.'),
        _("2. Cột có dấu (*) là bắt buộc."),
        _(
            "3. Năm và mã cán bộ đã có: cập nhật dòng đó; chưa có: thêm vào "
            "danh sách năm đó."
        ),
        _(
            "4. Mã đơn vị: mã huyện, xã hoặc thôn nơi cán bộ công tác trong năm "
            '(trang "Danh sách đơn vị"); mã dùng lại sau sắp xếp 2025 được hiểu '
            "theo đơn vị có hiệu lực cuối năm đó."
        ),
        _(
            "5. Cột có/không nhận: có, không, x, 1, 0; để trống là không (cán bộ "
            "còn đảm nhiệm)."
        ),
        _(
            "6. Nếu có dòng sai, hệ thống không lưu dòng nào và liệt kê các dòng "
            "cần sửa."
        ),
    ]
