import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from ntm.reports.services import send_reminders


class Command(BaseCommand):
    help = "Gửi lời nhắc nộp báo cáo định kỳ (7 ngày trước hạn và khi quá hạn)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--ngay", help="Ngày tính nhắc (YYYY-MM-DD), mặc định hôm nay."
        )

    def handle(self, *args, ngay=None, **options):
        day = datetime.date.fromisoformat(ngay) if ngay else timezone.localdate()
        sent = send_reminders(day)
        self.stdout.write(f"Đã gửi {len(sent)} lời nhắc.")
