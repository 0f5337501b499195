"""Excel sheets of OCOP entities and products: templates, exports, imports.

``ENTITIES`` and ``PRODUCTS`` are the contract between the templates, the
exports and the imports (``imports.py``): an exported file can be edited and
imported back.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ntm.core.exports import Exported, ExportError, ExportKind, personal_data
from ntm.core.spreadsheets import Column, Kind, Sheet, build_workbook

from .forms import EntityFilterForm
from .models import Entity, ProductGroup
from .permissions import can_export_entities, viewer_paths

ENTITIES = Sheet(
    gettext_lazy("Chủ thể OCOP"),
    [
        Column(
            "code",
            gettext_lazy("Mã số chủ thể"),
            gettext_lazy(
                "Mã số doanh nghiệp / HTX / hộ kinh doanh; mã đã có thì "
                "dòng cập nhật chủ thể đó."
            ),  # fmt: skip
            required=True,
            width=16,
        ),
        Column("name", gettext_lazy("Tên chủ thể"), required=True, width=32),
        Column(
            "kind",
            gettext_lazy("Loại hình"),
            required=True,
            kind=Kind.CHOICE,
            choices=Entity.Kind,
            width=22,
        ),
        Column(
            "unit_code",
            gettext_lazy("Mã xã / thôn"),
            gettext_lazy(
                "Mã xã hoặc thôn nơi đăng ký (đơn vị hiện nay mang mã đó; "
                "nếu không còn thì đơn vị cuối cùng mang mã)."
            ),  # fmt: skip
            required=True,
            width=12,
        ),
        Column(
            "unit_name",
            gettext_lazy("Tên xã / thôn"),
            gettext_lazy("Chỉ để đọc."),
            informative=True,
            width=22,
        ),
        Column(
            "address",
            gettext_lazy("Địa chỉ sản xuất, kinh doanh"),
            required=True,
            width=30,
        ),
        Column(
            "cooperative_code",
            gettext_lazy("Mã số HTX"),
            gettext_lazy("Với chủ thể là hợp tác xã: mã trong sổ hợp tác xã."),
            width=14,
        ),
        Column(
            "household_code",
            gettext_lazy("Mã hộ"),
            gettext_lazy("Với hộ sản xuất, kinh doanh: mã trong sổ hộ gia đình."),
            width=14,
        ),
        Column("representative", gettext_lazy("Người đại diện"), width=22),
        Column(
            "representative_phone", gettext_lazy("Điện thoại người đại diện"), width=14
        ),
        Column(
            "contact_phone", gettext_lazy("Điện thoại liên hệ kinh doanh"), width=14
        ),
        Column("contact_email", gettext_lazy("Thư điện tử kinh doanh"), width=22),
        Column("website", gettext_lazy("Trang web"), width=22),
        Column(
            "contact_is_public",
            gettext_lazy("Công khai liên hệ kinh doanh"),
            kind=Kind.YES_NO,
            width=12,
        ),
        Column("gs1_company_prefix", gettext_lazy("Mã doanh nghiệp GS1"), width=14),
        Column("gln", gettext_lazy("GLN"), width=16),
        Column(
            "inactive",
            gettext_lazy("Ngừng hoạt động"),
            kind=Kind.YES_NO,
            width=12,
        ),
    ],
)

PRODUCTS = Sheet(
    gettext_lazy("Sản phẩm OCOP"),
    [
        Column(
            "entity_code",
            gettext_lazy("Mã số chủ thể"),
            gettext_lazy("Chủ thể đã có (trang Chủ thể OCOP)."),
            required=True,
            width=16,
        ),
        Column(
            "entity_name",
            gettext_lazy("Tên chủ thể"),
            gettext_lazy("Chỉ để đọc."),
            informative=True,
            width=28,
        ),
        Column(
            "name",
            gettext_lazy("Tên sản phẩm"),
            gettext_lazy("Cùng chủ thể và cùng tên thì dòng cập nhật sản phẩm đó."),
            required=True,
            width=30,
        ),
        Column(
            "group",
            gettext_lazy("Nhóm sản phẩm"),
            required=True,
            kind=Kind.CHOICE,
            choices=ProductGroup,
            width=24,
        ),
        Column(
            "gtin",
            gettext_lazy("Mã GTIN"),
            gettext_lazy(
                "8, 12, 13 hoặc 14 chữ số, đúng số kiểm tra; để trống nếu chưa có."
            ),  # fmt: skip
            width=16,
        ),
        Column("description", gettext_lazy("Mô tả"), width=36),
        Column(
            "inactive",
            gettext_lazy("Ngừng sản xuất"),
            kind=Kind.YES_NO,
            width=12,
        ),
        Column(
            "stars",
            gettext_lazy("Hạng sao"),
            gettext_lazy("Chỉ để đọc: hạng của giấy chứng nhận còn hiệu lực."),
            informative=True,
            kind=Kind.INTEGER,
            width=10,
        ),
        Column(
            "valid_until",
            gettext_lazy("Hiệu lực đến"),
            gettext_lazy("Chỉ để đọc."),
            informative=True,
            kind=Kind.DATE,
            width=12,
        ),
    ],
)

INSTRUCTIONS = [
    gettext_lazy(
        "1. Mỗi dòng là một bản ghi; không đổi tên các cột. Cột có dấu (*) là bắt buộc."
    ),  # fmt: skip
    gettext_lazy(
        "2. Nếu có dòng sai, hệ thống không lưu dòng nào và liệt kê các dòng "
        "cần sửa; sửa xong tải lại cùng tệp."
    ),  # fmt: skip
]


def entity_template():
    return build_workbook(
        (ENTITIES, []),
        instructions=[_("HƯỚNG DẪN NHẬP DANH SÁCH CHỦ THỂ OCOP"), "", *INSTRUCTIONS],
    )


def product_template():
    return build_workbook(
        (PRODUCTS, []),
        instructions=[_("HƯỚNG DẪN NHẬP DANH SÁCH SẢN PHẨM OCOP"), "", *INSTRUCTIONS],
    )


def export_entities(entities, *, progress=None, personal_data=None):
    rows = (
        {
            "code": e.code,
            "name": e.name,
            "kind": e.get_kind_display(),
            "unit_code": e.unit.code,
            "unit_name": e.unit.name,
            "address": e.address,
            "cooperative_code": e.cooperative.code if e.cooperative_id else "",
            "household_code": e.household.code if e.household_id else "",
            "representative": e.representative,
            "representative_phone": e.representative_phone,
            "contact_phone": e.contact_phone,
            "contact_email": e.contact_email,
            "website": e.website,
            "contact_is_public": e.contact_is_public,
            "gs1_company_prefix": e.gs1_company_prefix,
            "gln": e.gln,
            "inactive": not e.is_active,
        }
        for e in entities.iterator(chunk_size=2000)
    )
    return build_workbook(
        (ENTITIES, progress.track(rows) if progress else rows),
        notes=[(_("Bảng"), _("Danh sách chủ thể OCOP"))],
        personal_data=personal_data,
    )


def build_entities(job, progress):
    # Staff of their units only: the export carries representatives and phones.
    paths = viewer_paths(job.requested_by)
    if not can_export_entities(job.requested_by):
        raise ExportError(_("Bạn không còn quyền xuất danh sách chủ thể OCOP."))
    entities = (
        EntityFilterForm(job.params)
        .apply(
            Entity.objects.within_any(paths, lineage=True).select_related(
                "unit", "cooperative", "household"
            )
        )
        .order_by("name", "pk")
    )
    progress.start(entities.count())
    content = export_entities(
        entities, progress=progress, personal_data=personal_data(job)
    )
    return Exported(content, progress.done)


ENTITIES_EXPORT = ExportKind(
    name="ocop.entities",
    title=gettext_lazy("Danh sách chủ thể OCOP"),
    stem="chu-the-ocop",
    build=build_entities,
    personal=True,
    personal_fields=gettext_lazy(
        "họ tên và số điện thoại người đại diện, liên hệ của chủ thể"
    ),
)


def export_products(products):
    rows = (
        {
            "entity_code": p.entity.code,
            "entity_name": p.entity.name,
            "name": p.name,
            "group": p.get_group_display(),
            "gtin": p.gtin,
            "description": p.description,
            "inactive": not p.is_active,
            "stars": p.current_stars,
            "valid_until": p.current_valid_until,
        }
        for p in products.iterator(chunk_size=2000)
    )
    return build_workbook(
        (PRODUCTS, rows),
        notes=[
            (_("Bảng"), _("Danh sách sản phẩm OCOP")),
            (_("Hạng sao tính đến ngày"), timezone.localdate()),
        ],
    )
