from django.conf import settings
from django.core.management.base import BaseCommand

from ntm.core.backups import make_backup


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu và tệp tải lên vào một tệp .tar có mã kiểm tra."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=settings.BACKUP_DIR)

    def handle(self, *args, output, **options):
        path = make_backup(output)
        self.stdout.write(f"Đã sao lưu vào {path}")
