"""Excel workbooks of cooperatives and linkage models: templates and exports.

``COOPERATIVES`` and ``LINKAGES`` are the contract between the templates,
the exports and the imports (``imports.py``): an exported file can be
edited and imported back.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ntm.core.exports import Exported, ExportError, ExportKind, personal_data
from ntm.core.spreadsheets import Column, Kind, Sheet, build_workbook

from .forms import CooperativeFilterForm
from .models import Cooperative
from .permissions import can_export_cooperatives, viewer_paths

# Blank is "không" on every import: these columns ask about the exception
# (stopped working), so a blank cell keeps the record active.
CLOSED_HELP = gettext_lazy("có: đã ngừng hoạt động; để trống là đang hoạt động.")
CLOSED = gettext_lazy("Đã ngừng hoạt động")
WAS_ACTIVE = gettext_lazy("Đang hoạt động")
# Targets 6 and 7 count by these dates; a blank keeps the date on record (or
# today, when the answer beside it changes).
SINCE_HELP = gettext_lazy("Để trống: giữ ngày đã ghi, hoặc hôm nay nếu mới đổi.")

COMMUNES = Sheet(
    gettext_lazy("Danh sách xã"),
    [
        Column("code", gettext_lazy("Mã xã"), width=10),
        Column("name", gettext_lazy("Tên xã"), width=24),
        Column("validity", gettext_lazy("Hiệu lực"), width=26),
    ],
)
COOPERATIVES = Sheet(
    gettext_lazy("Hợp tác xã"),
    [
        Column(
            "code",
            gettext_lazy("Mã số HTX"),
            gettext_lazy("Mã số hoặc số đăng ký; mã đã có thì dòng cập nhật HTX đó."),
            required=True,
            width=14,
        ),
        Column("name", gettext_lazy("Tên hợp tác xã"), required=True, width=32),
        Column(
            "commune_code",
            gettext_lazy("Mã xã"),
            gettext_lazy(
                "Mã xã nơi đăng ký; mã dùng lại sau 01/07/2025 được hiểu theo "
                "ngày thành lập (trước đó: xã cũ)."
            ),
            required=True,
            width=10,
            lookup=COMMUNES.name,
        ),
        Column(
            "commune_name",
            gettext_lazy("Tên xã"),
            gettext_lazy("Chỉ để đọc."),
            informative=True,
            width=20,
        ),
        Column("founded_on", gettext_lazy("Ngày thành lập"), width=14, kind=Kind.DATE),
        Column(
            "members",
            gettext_lazy("Số thành viên"),
            gettext_lazy("Số nguyên."),
            width=10,
            kind=Kind.INTEGER,
        ),
        Column("main_products", gettext_lazy("Sản phẩm, dịch vụ chính"), width=30),
        Column(
            "applies_digital_technology",
            gettext_lazy("Ứng dụng công nghệ số"),
            width=12,
            kind=Kind.YES_NO,
        ),
        Column(
            "technologies",
            gettext_lazy("Công nghệ số áp dụng"),
            gettext_lazy("Tên công nghệ trong trang Hướng dẫn, cách nhau bởi dấu ;"),
            width=30,
        ),
        Column("representative", gettext_lazy("Người đại diện"), width=22),
        Column("phone", gettext_lazy("Số điện thoại"), width=14),
        Column(
            "closed",
            CLOSED,
            CLOSED_HELP,
            width=12,
            kind=Kind.YES_NO,
            replaces=WAS_ACTIVE,
        ),
        Column(
            "digital_since",
            gettext_lazy("Ứng dụng công nghệ số từ ngày"),
            SINCE_HELP,
            width=14,
            kind=Kind.DATE,
        ),
        Column(
            "dissolved_on",
            gettext_lazy("Ngừng hoạt động từ ngày"),
            SINCE_HELP,
            width=14,
            kind=Kind.DATE,
        ),
    ],
)
LINKAGES = Sheet(
    gettext_lazy("Mô hình liên kết"),
    [
        Column(
            "cooperative_code",
            gettext_lazy("Mã số HTX"),
            gettext_lazy("HTX đã có trong hệ thống."),
            required=True,
            width=14,
        ),
        Column(
            "name",
            gettext_lazy("Tên mô hình liên kết"),
            gettext_lazy("Cùng HTX và cùng tên thì dòng cập nhật mô hình đó."),
            required=True,
            width=32,
        ),
        Column("key_product", gettext_lazy("Sản phẩm chủ lực"), width=20),
        Column("partner", gettext_lazy("Doanh nghiệp liên kết"), width=26),
        Column(
            "tied_to_sales",
            gettext_lazy("Gắn với tiêu thụ nông sản chủ lực"),
            width=14,
            kind=Kind.YES_NO,
        ),
        Column(
            "has_raw_material_area",
            gettext_lazy("Gắn với vùng nguyên liệu"),
            width=14,
            kind=Kind.YES_NO,
        ),
        Column("raw_material_area", gettext_lazy("Vùng nguyên liệu"), width=26),
        Column("area_ha", gettext_lazy("Diện tích (ha)"), width=10, kind=Kind.DECIMAL),
        Column(
            "applies_digital_technology",
            gettext_lazy("Ứng dụng công nghệ số"),
            width=12,
            kind=Kind.YES_NO,
        ),
        Column(
            "started_year",
            gettext_lazy("Năm bắt đầu"),
            width=10,
            kind=Kind.INTEGER,
            number_format="0",
        ),
        Column(
            "closed",
            CLOSED,
            CLOSED_HELP,
            width=12,
            kind=Kind.YES_NO,
            replaces=WAS_ACTIVE,
        ),
        Column(
            "digital_since_year",
            gettext_lazy("Ứng dụng công nghệ số từ năm"),
            SINCE_HELP,
            width=10,
            kind=Kind.INTEGER,
            number_format="0",
        ),
        Column(
            "ended_year",
            gettext_lazy("Năm ngừng"),
            SINCE_HELP,
            width=10,
            kind=Kind.INTEGER,
            number_format="0",
        ),
    ],
)


def build_template(communes, technologies):
    rows = [[c.code, c.name, str(c.validity_display)] for c in communes]
    return build_workbook(
        (COOPERATIVES, []),
        (COMMUNES, rows),
        instructions=_instructions(
            _("HƯỚNG DẪN NHẬP DANH SÁCH HỢP TÁC XÃ"), technologies
        ),
        template=True,
    )


def build_linkage_template(technologies):
    return build_workbook(
        (LINKAGES, []),
        instructions=_instructions(_("HƯỚNG DẪN NHẬP MÔ HÌNH LIÊN KẾT"), ()),
        template=True,
    )


def export_cooperatives(cooperatives, *, progress=None, personal_data=None):
    rows = (
        [
            c.code,
            c.name,
            c.commune.code,
            c.commune.name,
            c.founded_on,
            c.members,
            c.main_products,
            c.applies_digital_technology,
            [t.name for t in c.technologies.all()],
            c.representative,
            c.phone,
            not c.is_active,
            c.digital_since,
            c.dissolved_on,
        ]
        for c in cooperatives.iterator(chunk_size=2000)
    )
    return build_workbook(
        (COOPERATIVES, progress.track(rows) if progress else rows),
        notes=[(_("Bảng"), _("Danh sách hợp tác xã"))],
        demo=cooperatives.filter(is_demo=True).exists(),
        personal_data=personal_data,
    )


def build_cooperatives(job, progress):
    user = job.requested_by
    if not can_export_cooperatives(user):
        raise ExportError(_("Bạn không còn quyền xuất danh sách hợp tác xã."))
    form = CooperativeFilterForm(job.params)
    # Representatives and phones of the asker's units only, as on screen.
    within = Cooperative.objects.within_any(viewer_paths(user), lineage=True)
    cooperatives = form.apply(within.select_related("commune")).prefetch_related(
        "technologies"
    )
    progress.start(cooperatives.count())
    content = export_cooperatives(
        cooperatives, progress=progress, personal_data=personal_data(job)
    )
    return Exported(content, progress.done)


COOPERATIVES_EXPORT = ExportKind(
    name="cooperatives.cooperatives",
    title=gettext_lazy("Danh sách hợp tác xã"),
    stem="hop-tac-xa",
    build=build_cooperatives,
    personal=True,
    personal_fields=gettext_lazy("họ tên và số điện thoại người đại diện"),
)


def export_linkage_models(models):
    rows = (
        [
            m.cooperative.code,
            m.name,
            m.key_product,
            m.partner,
            m.tied_to_sales,
            m.has_raw_material_area,
            m.raw_material_area,
            m.area_ha,
            m.applies_digital_technology,
            m.started_year,
            not m.is_active,
            m.digital_since_year,
            m.ended_year,
        ]
        for m in models.iterator(chunk_size=2000)
    )
    return build_workbook(
        (LINKAGES, rows),
        notes=[(_("Bảng"), _("Mô hình liên kết sản xuất"))],
        demo=models.filter(is_demo=True).exists(),
    )


def _instructions(title, technologies):
    lines = [
        title,
        "",
        _(
            "1. Mỗi dòng là một bản ghi; không đổi tên các cột. "
            "Cột có dấu (*) là bắt buộc."
        ),
        _("2. Cột có/không nhận: có, không, x, 1, 0; để trống là không."),
        _(
            "3. Nếu có dòng sai, hệ thống không lưu dòng nào và liệt kê các dòng "
            "cần sửa; sửa xong tải lại cùng tệp."
        ),
    ]
    if technologies:
        lines += ["", _("Các công nghệ số:")]
        lines += [f"• {t.name}" for t in technologies]
    return lines
