from django.core.management.base import BaseCommand

from ntm.core.exports import expire_exports


class Command(BaseCommand):
    help = (
        "Xóa các tệp xuất đã hết hạn, đánh dấu lỗi các yêu cầu không còn tiến "
        "trình nào chạy, xóa tệp sót lại (chạy định kỳ, ví dụ mỗi giờ)."
    )

    def handle(self, *args, **options):
        expired, stalled, leftovers = expire_exports()
        self.stdout.write(
            f"Đã xóa {expired} tệp hết hạn, {leftovers} tệp sót lại; "
            f"{stalled} yêu cầu quá hạn được đánh dấu lỗi."
        )
