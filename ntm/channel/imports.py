"""The subscribers' Excel template and import (ntm/core/spreadsheets)."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ntm.core.spreadsheets import (
    Column,
    ImportRefused,
    ImportResult,
    Kind,
    Sheet,
    build_workbook,
    flag_repeats,
    refuse_bad_rows,
)

from .services import ChannelError, clean_subscriber, save_imported_subscribers

SUBSCRIBERS = Sheet(
    gettext_lazy("Người nhận tin"),
    [
        Column("name", gettext_lazy("Họ tên"), required=True, width=28),
        Column(
            "phone",
            gettext_lazy("Số điện thoại"),
            gettext_lazy("Số đã có trong danh sách thì dòng cập nhật người đó."),
            width=16,
        ),
        Column("email", gettext_lazy("Thư điện tử"), width=26),
        Column("zalo_user_id", gettext_lazy("Mã người dùng Zalo"), width=20),
        Column(
            "consented_on",
            gettext_lazy("Ngày đồng ý nhận tin"),
            required=True,
            width=16,
            kind=Kind.DATE,
        ),
    ],
)


LENGTHS = {"name": 120, "phone": 40, "email": 254, "zalo_user_id": 64}


class SubscriberImportError(ImportRefused, ChannelError):
    """The file was refused; nothing was saved."""


def build_template(village):
    instructions = [
        _("DANH SÁCH NGƯỜI NHẬN TIN CỦA %(village)s") % {"village": village},
        _("Mỗi dòng một người; cần ít nhất số điện thoại, thư điện tử hoặc mã Zalo."),
        _("Chỉ ghi người đã đồng ý nhận tin; ghi ngày họ đồng ý."),
        _("Đây là dữ liệu cá nhân: không chia sẻ tệp này."),
    ]
    return build_workbook((SUBSCRIBERS, []), instructions=instructions, template=True)


def import_subscribers(file, *, village, by):
    """All rows or none: every bad row is reported in Vietnamese."""
    rows = SubscriberImportError.rows_of(file, SUBSCRIBERS)
    today = timezone.localdate()
    values = {}
    for row in rows:
        fields = {key: row.text(key, size) for key, size in LENGTHS.items()}
        consented = row.date("consented_on", required=True)
        if consented and consented > today:
            row.error(_("Ngày đồng ý nhận tin không được ở tương lai."))
        try:
            cleaned = clean_subscriber(**fields)
        except ChannelError as error:
            row.error(str(error))
            continue
        values[row.number] = {**cleaned, "consented_on": consented}
    flag_repeats(
        rows,
        lambda row: (values.get(row.number) or {}).get("phone") or None,
        _("Số điện thoại %(value)s trùng với dòng %(row)s."),
    )
    refuse_bad_rows(rows, SubscriberImportError)
    created, updated, unchanged = save_imported_subscribers(
        village, [values[row.number] for row in rows], by=by
    )
    return ImportResult(created=created, updated=updated, unchanged=unchanged)
