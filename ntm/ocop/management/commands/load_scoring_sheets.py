import hashlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ntm.ocop.services import (
    SCORING_DIR,
    ScoringFileError,
    load_scoring_file,
)
from ntm.ocop.services.sheets import scoring_files


class Command(BaseCommand):
    help = (
        "Nạp các phiếu chấm điểm OCOP (ntm/ocop/scoring/*.json hoặc tệp chỉ "
        "định); phiếu đã dùng để chấm không bị nạp đè."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", metavar="FILE")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Nạp lại phiếu có tệp đã thay đổi mà chưa dùng để chấm điểm.",
        )

    def handle(self, *args, files, force, **options):
        paths = [self._resolve(name) for name in files] or scoring_files()
        for path in paths:
            try:
                sheet, action = load_scoring_file(path, by=None, force=force)
            except ScoringFileError as error:
                raise CommandError(f"Không nạp được: {error}") from error
            if action == "created":
                self.stdout.write(self.style.SUCCESS(f"{path.name}: Đã nạp {sheet}."))
            elif action == "updated":
                self.stdout.write(
                    self.style.SUCCESS(f"{path.name}: Đã nạp lại {sheet}.")
                )
            elif sheet.file_digest == hashlib.sha256(path.read_bytes()).hexdigest():
                self.stdout.write(f"{path.name}: Bỏ qua {sheet}: tệp không thay đổi.")
            else:
                self.stdout.write(
                    self.style.WARNING(
                        f"{path.name}: Bỏ qua {sheet}: tệp đã thay đổi; dùng --force "
                        "để nạp lại (khi chưa dùng chấm điểm) hoặc tăng phiên bản."
                    )
                )

    def _resolve(self, name):
        path = Path(name)
        if not path.exists() and (SCORING_DIR / name).exists():
            path = SCORING_DIR / name
        if not path.exists():
            raise CommandError(f"Không tìm thấy tệp {name}.")
        return path
