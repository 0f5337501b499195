import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
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

    def held(self):
        """(role, office, unit path) of each of the user's memberships.

        Read once per user instance (each request loads its own): the menu,
        the one-time-code rule and every permission check of a page answer
        from it instead of asking the database again each.
        """
        if "_held" not in self.__dict__:
            self.__dict__["_held"] = list(
                self.memberships.values_list("role", "office", "unit__path")
            )
        return self.__dict__["_held"]

    def holds(self, *roles):
        """True when the user holds one of ``roles`` anywhere."""
        return any(role in roles for role, _office, _path in self.held())

    def paths(self, *roles, office=""):
        """Unit paths where the user holds one of ``roles``, or is staff of
        ``office`` if given (any role when neither is given)."""
        return [
            path
            for role, held_office, path in self.held()
            if (not roles and not office)
            or role in roles
            or (office and role == Role.OFFICE_STAFF and held_office == office)
        ]

    def forget_roles(self):
        """Drop the remembered memberships (after this user's roles changed)."""
        self.__dict__.pop("_held", None)


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
    # The council member who concludes the appraisal (QĐ 18/2022: the
    # council's conclusion is signed by its chair), after the members' votes.
    chairs_council = models.BooleanField(
        _("Chủ tịch hội đồng thẩm định"), default=False
    )

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
            models.CheckConstraint(
                condition=Q(chairs_council=False) | Q(role=Role.COUNCIL_MEMBER),
                name="chair_is_a_council_member",
                violation_error_message=_(
                    "Chỉ thành viên hội đồng thẩm định mới làm chủ tịch hội đồng."
                ),
            ),
        ]

    def __str__(self):
        role = self.get_office_display() if self.office else self.get_role_display()
        return f"{role} — {self.unit}"


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        """Tokens that still open the API: not revoked, not expired."""
        now = timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)

    def administered_by(self, user):
        """Tokens a district admin sees: those of people holding a role
        within the units they hold."""
        paths = user.paths(Role.DISTRICT_ADMIN)
        if not paths:
            return self.none()
        owners = Membership.objects.within_any(paths).values("user_id")
        return self.filter(user_id__in=owners)


class ApiToken(TimeStampedModel):
    """A key a machine client (a provincial system) sends as
    ``Authorization: Bearer <key>``: it acts as its owner, with the owner's
    roles, and only within its scopes.

    Only the SHA-256 of the key is kept; the key itself is shown once, when
    it is made. A key of 256 random bits needs no slow hash: nobody can try
    enough of them.
    """

    class Scope(models.TextChoices):
        READ = "read", _("Đọc dữ liệu trong phạm vi đơn vị")
        WRITE_INDICATORS = "write:indicators", _("Nhập, gửi, duyệt giá trị chỉ tiêu")
        WRITE_HOUSEHOLDS = "write:households", _("Ghi sổ hộ gia đình")
        WRITE_COOPERATIVES = "write:cooperatives", _("Ghi hợp tác xã")
        WRITE_KNOWLEDGE = "write:knowledge", _("Ghi lớp tập huấn")
        WRITE_PLANS = "write:plans", _("Cập nhật nhiệm vụ, kinh phí kế hoạch")
        WRITE_OCOP = "write:ocop", _("Ghi hồ sơ OCOP")
        WRITE_TRACEABILITY = "write:traceability", _("Ghi truy xuất nguồn gốc")

    PREFIX = "ntm_"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("Chủ khóa"),
    )
    name = models.CharField(_("Tên khóa"), max_length=100)
    # The first characters of the key, so its owner can tell keys apart.
    hint = models.CharField(_("Đầu khóa"), max_length=12)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("Phạm vi"), default=list)
    expires_at = models.DateTimeField(_("Hết hạn"))
    last_used_at = models.DateTimeField(_("Dùng lần cuối"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("Thu hồi lúc"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Người thu hồi"),
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("khóa API")
        verbose_name_plural = _("khóa API")

    def __str__(self):
        return f"{self.name} ({self.hint}…)"

    @staticmethod
    def digest_of(key):
        return hashlib.sha256(key.encode()).hexdigest()

    @property
    def is_active(self):
        return self.revoked_at is None and self.expires_at > timezone.now()

    def allows(self, scope):
        return scope in self.scopes

    def get_scopes_display(self):
        labels = dict(self.Scope.choices)
        return [labels.get(scope, scope) for scope in self.scopes]
