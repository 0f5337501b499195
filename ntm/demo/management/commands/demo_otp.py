from django.core.management.base import BaseCommand

from ntm.demo.builders import demo_totp_code


class Command(BaseCommand):
    help = "In mã xác thực hiện tại của tài khoản admin minh họa."

    def handle(self, *args, **options):
        self.stdout.write(demo_totp_code())
