from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from ntm.units.models import Reorganisation, Unit
from ntm.units.services import load_reference_units


class Command(BaseCommand):
    help = _("Nạp các đơn vị hành chính thật của Đại Lộc và đợt sắp xếp 2025.")

    def handle(self, *args, **options):
        if load_reference_units(by=None):
            self.stdout.write(
                self.style.SUCCESS(
                    _("Đã nạp %(units)d đơn vị và %(events)d sự kiện sắp xếp.")
                    % {
                        "units": Unit.objects.count(),
                        "events": Reorganisation.objects.count(),
                    }
                )
            )
        else:
            self.stdout.write(
                _("Đơn vị hành chính đã có sẵn (%d đơn vị); không nạp lại.")
                % Unit.objects.count()
            )
