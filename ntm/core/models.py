from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("Tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Cập nhật lúc"), auto_now=True)

    class Meta:
        abstract = True


class ActionLogQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(
                obj, for_concrete_model=False
            ),
            object_id=str(obj.pk),
        )


class ActionLog(models.Model):
    """One change to an official record: who, when, what, and the fields changed."""

    created_at = models.DateTimeField(_("Thời điểm"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Người thực hiện"),
    )
    action = models.CharField(_("Thao tác"), max_length=80, db_index=True)
    content_type = models.ForeignKey(ContentType, models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("Đối tượng"), max_length=255)
    data = models.JSONField(_("Dữ liệu"), default=dict, blank=True)

    objects = ActionLogQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = _("nhật ký thao tác")
        verbose_name_plural = _("nhật ký thao tác")

    def __str__(self):
        return f"{self.action} {self.object_repr}"

    @property
    def changes(self):
        """The changed fields as (label, old, new) rows, for history tables."""
        return [
            (
                change.get("label", field),
                _shown(change.get("old")),
                _shown(change.get("new")),
            )
            for field, change in self.data.get("changes", {}).items()
        ]


def _shown(value):
    """Stored values as people read them: Có/Không, not True/False."""
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    return value
