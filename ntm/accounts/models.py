from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ntm.core.models import TimeStampedModel
from ntm.units.scope import ScopedQuerySet, prefixes


class User(AbstractUser):
    full_name = models.CharField(_("Họ và tên"), max_length=150, blank=True)
    phone = models.CharField(_("Số điện thoại"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self):
        return self.full_name or self.username

    def paths(self, *roles, office=""):
        """Unit paths where the user holds one of ``roles``, or is staff of
        ``office`` if given (any role when neither is given).

        Remembered on the instance, per question: a page asks the same one
        several times (filters, forms, "may edit" links), in one query.
        """
        cache = self.__dict__.setdefault("_paths", {})
        key = (tuple(sorted(roles)), office)
        if key not in cache:
            condition = Q(role__in=roles) if roles else Q()
            if office:
                condition |= Q(role=Role.OFFICE_STAFF, office=office)
            cache[key] = list(
                self.memberships.filter(condition).values_list("unit__path", flat=True)
            )
        return cache[key]

    def forget_paths(self):
        """Drop the remembered paths (after this user's roles changed)."""
        self.__dict__.pop("_paths", None)


class Role(models.TextChoices):
    DISTRICT_ADMIN = "district_admin", _("Quản trị cấp huyện")
    OFFICE_STAFF = "office_staff", _("Cán bộ phòng chuyên môn huyện")
    COMMUNE_OFFICER = "commune_officer", _("Cán bộ xã")
    VILLAGE_HEAD = "village_head", _("Trưởng thôn")
    COUNCIL_MEMBER = "council_member", _("Thành viên hội đồng thẩm định")
    PRODUCER = "producer", _("Chủ thể sản xuất")


class Office(models.TextChoices):
    CULTURE = "vhtt", _("Phòng Văn hóa và Thông tin")
    AGRICULTURE = "nnptnt", _("Phòng Nông nghiệp và PTNT")
    ECONOMY = "ktht", _("Phòng Kinh tế và Hạ tầng")
    FINANCE = "tckh", _("Phòng Tài chính - Kế hoạch")
    POLICE = "conganh", _("Công an huyện")


# Roles whose holders sign in with a one-time code when they have set one up;
# district admins must have one.
STAFF_ROLES = {Role.DISTRICT_ADMIN, Role.OFFICE_STAFF, Role.COMMUNE_OFFICER}


class MembershipQuerySet(ScopedQuerySet):
    def covering(self, unit):
        """Memberships on ``unit`` or on any unit above it."""
        return self.filter(unit__path__in=prefixes(unit.path))

    def administered_by(self, user):
        """Memberships a district admin sees: those within the units they hold."""
        return self.within_any(user.paths(Role.DISTRICT_ADMIN))


class Membership(TimeStampedModel):
    """A role held on a unit; it covers the unit and everything below it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(
        "units.Unit",
        models.PROTECT,
        related_name="memberships",
        verbose_name=_("Đơn vị"),
    )
    role = models.CharField(_("Vai trò"), max_length=20, choices=Role)
    office = models.CharField(_("Phòng"), max_length=10, choices=Office, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["unit__path", "role"]
        verbose_name = _("vai trò")
        verbose_name_plural = _("vai trò")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role", "office"],
                name="one_membership_per_role",
                violation_error_message=_(
                    "Người dùng đã có vai trò này trên đơn vị này."
                ),
            ),
            models.CheckConstraint(
                condition=(Q(role=Role.OFFICE_STAFF) & ~Q(office=""))
                | (~Q(role=Role.OFFICE_STAFF) & Q(office="")),
                name="office_only_for_office_staff",
                violation_error_message=_(
                    "Cán bộ phòng, ban phải ghi rõ phòng; các vai trò khác không"
                    " ghi phòng."
                ),
            ),
        ]

    def __str__(self):
        role = self.get_office_display() if self.office else self.get_role_display()
        return f"{role} — {self.unit}"
