import datetime

from django.core.management.base import BaseCommand, CommandError

from ntm.ocop.services.reminders import DEFAULT_WINDOW_DAYS
from ntm.ocop.tasks import remind_expiring_certificates


class Command(BaseCommand):
    help = (
        "Nhắc các giấy chứng nhận OCOP sắp hết hiệu lực (mỗi giấy một lần cho "
        "mỗi khoảng nhắc); chạy hằng ngày."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--ngay", help="Ngày tính nhắc (YYYY-MM-DD), mặc định hôm nay."
        )
        parser.add_argument(
            "--trong",
            type=int,
            default=DEFAULT_WINDOW_DAYS,
            help="Nhắc giấy hết hiệu lực trong bấy nhiêu ngày tới (mặc định 90).",
        )

    def handle(self, *args, ngay=None, trong, **options):
        if ngay:
            try:
                datetime.date.fromisoformat(ngay)
            except ValueError:
                raise CommandError(
                    f"Ngày “{ngay}” không đúng dạng YYYY-MM-DD."
                ) from None
        if trong < 1:
            raise CommandError("Số ngày nhắc trước phải từ 1 trở lên.")
        result = remind_expiring_certificates.enqueue(day=ngay, within_days=trong)
        if result.is_finished:
            self.stdout.write(f"Đã gửi {result.return_value} lời nhắc.")
        else:
            self.stdout.write("Đã xếp việc gửi lời nhắc vào hàng đợi.")
