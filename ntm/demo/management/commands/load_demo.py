from django.core.management.base import BaseCommand

from ntm.demo.builders import HOUSEHOLD_COUNT, load_demo


class Command(BaseCommand):
    help = "Nạp dữ liệu minh họa Đại Lộc (đơn vị thật, thôn và hộ gia đình minh họa)."

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, default=HOUSEHOLD_COUNT)

    def handle(self, *args, households, **options):
        load_demo(households=households, stdout=self.stdout)
