import secrets

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ntm.demo.builders import (
    DEMO_PASSWORD,
    DEMO_TOTP_HEX,
    HOUSEHOLD_COUNT,
    demo_totp_secret,
    load_demo,
)


class Command(BaseCommand):
    help = "Nạp dữ liệu minh họa Đại Lộc (đơn vị thật, thôn và hộ gia đình minh họa)."

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, default=HOUSEHOLD_COUNT)

    def handle(self, *args, households, **options):
        # The demo's password and two-factor key are published (README, make
        # otp): on anything but a developer's machine they would open the
        # platform to everyone.
        if settings.DEBUG:
            password, totp_hex = DEMO_PASSWORD, DEMO_TOTP_HEX
        elif settings.ALLOW_DEMO:
            password, totp_hex = secrets.token_urlsafe(12), secrets.token_hex(20)
        else:
            raise CommandError(
                "Không nạp dữ liệu minh họa khi DEBUG tắt: đây có thể là máy chủ "
                "thật, và tài khoản minh họa dùng mật khẩu chung đã công bố. "
                "Máy chủ trình diễn: đặt ALLOW_DEMO=true (mật khẩu và khóa hai "
                "bước sẽ được tạo ngẫu nhiên)."
            )
        loaded = load_demo(
            households=households,
            stdout=self.stdout,
            password=password,
            totp_hex=totp_hex,
        )
        if loaded and not settings.DEBUG:
            self.stdout.write(
                "Máy chủ trình diễn: ghi lại ngay, không in lại lần nữa.\n"
                f"  Mật khẩu chung của các tài khoản minh họa: {password}\n"
                f"  Khóa hai bước của admin: {demo_totp_secret(totp_hex)}"
            )
