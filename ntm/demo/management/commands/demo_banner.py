from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ntm.demo.builders import DEMO_PASSWORD, demo_logins, demo_totp_secret


class Command(BaseCommand):
    help = "In địa chỉ và tài khoản minh họa khi khởi động."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/")

    def handle(self, *args, url, **options):
        if not settings.DEBUG:
            raise CommandError("Chỉ in tài khoản minh họa khi phát triển (DEBUG=true).")
        self.stdout.write("")
        self.stdout.write(f"NTM Số đang chạy tại: {url}")
        self.stdout.write(f"Tài khoản minh họa (mật khẩu chung: {DEMO_PASSWORD}):")
        for username, full_name in demo_logins():
            self.stdout.write(f"  {username:<12} {full_name}")
        self.stdout.write(
            f"  admin đăng nhập hai bước: thêm khóa {demo_totp_secret()} vào ứng dụng"
            " xác thực (Google Authenticator...), hoặc lấy mã hiện tại bằng: make otp"
        )
        self.stdout.write("")
