from django.core.management.base import BaseCommand, CommandError

from ntm.core.backups import BackupError, read_manifest, restore_backup


class Command(BaseCommand):
    help = "Khôi phục cơ sở dữ liệu và tệp tải lên từ một bản sao lưu."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument(
            "--force", action="store_true", help="Ghi đè dữ liệu đang có."
        )
        parser.add_argument(
            "--verify-only",
            action="store_true",
            help="Chỉ kiểm tra mã kiểm tra của bản sao lưu.",
        )

    def handle(self, *args, path, force, verify_only, **options):
        try:
            if verify_only:
                manifest = read_manifest(path)
                self.stdout.write(f"Bản sao lưu nguyên vẹn ({manifest['created_at']}).")
                return
            manifest = restore_backup(path, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Đã khôi phục bản sao lưu lúc {manifest['created_at']}.")
