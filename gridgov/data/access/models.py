"""Access for other systems: per-user API tokens, Open311 API keys, idempotency records and the
Open311 submissions that became cases.

Secrets are never stored: a token or key is shown once when it is made; only its SHA-256 and a short
prefix (to recognise it in a list) are kept.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gridgov.data.org.models import acting_user, town_link
from gridgov.data.privacy import EncryptedTextField


class IssuedSecret(models.Model):
    """A secret handed out once (a token, a key): its name, the prefix and SHA-256 kept of it, when it was made,
    last used and revoked; newest first."""

    name = models.CharField(_("名称"), max_length=64)
    prefix = models.CharField(_("前缀"), max_length=16)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ApiToken(IssuedSecret):
    """A personal token for the REST API (``Authorization: Bearer <token>``); acts as its user."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    # GRIDGOV_API_TOKEN_DAYS after it was made; an expired token is refused like a revoked one.
    expires_at = models.DateTimeField(_("到期时间"), null=True, blank=True)

    class Meta(IssuedSecret.Meta):
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")
        indexes = [models.Index(fields=["user", "-created_at"], name="api_token_user")]


class ApiKey(IssuedSecret):
    """A key issued by the administrator to one Open311 client (an app, the hotline system) for one town."""

    town = town_link(_("乡镇（jurisdiction）"))
    name = models.CharField(_("客户端名称"), max_length=64)
    contact = models.CharField(_("联系人/联系方式"), max_length=128, blank=True)
    created_by = acting_user(_("签发人"))

    class Meta(IssuedSecret.Meta):
        verbose_name = _("Open311 API 密钥")
        verbose_name_plural = _("Open311 API 密钥")


class IdempotencyRecord(models.Model):
    """The first answer to a create request with an ``Idempotency-Key`` (or, for a new case, what rebuilds it):
    replayed for the same key and body."""

    # Written with every report: the user leads the unique (user, key) index, and cases are never deleted
    # (their actions protect them), so neither foreign key needs an index of its own.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    key = models.CharField(max_length=128)
    body_hash = models.CharField(max_length=64)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    response_status = models.PositiveSmallIntegerField()
    # NULL for a new case's record (``create_once(first_answer=…)``): its answer is rebuilt from the case on a
    # retry, so that a report neither renders nor stores it.
    response_body = models.JSONField(null=True, default=dict)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("幂等请求记录")
        verbose_name_plural = _("幂等请求记录")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique_per_user")]
        indexes = [models.Index(fields=["created_at"], name="idempotency_created")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"


class Open311Submission(models.Model):
    """How a case arrived through Open311: which key sent it, its token, media URL, attributes, e-mail."""

    town = town_link()
    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="open311")
    api_key = models.ForeignKey(ApiKey, on_delete=models.PROTECT, related_name="submissions")
    token = models.CharField(max_length=36, unique=True)
    media_url = models.URLField(_("媒体链接"), max_length=500, blank=True)
    attributes = models.JSONField(_("属性"), default=dict, blank=True)
    email = EncryptedTextField(_("电子邮箱"), blank=True)
    device_id = models.CharField(max_length=64, blank=True)
    # The request as sent (api_key, service, description, location, contact, attributes), hashed: a client
    # repeating an identical request after a lost answer gets the first request back (``open311.submit_request``).
    fingerprint = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("Open311 提交")
        verbose_name_plural = _("Open311 提交")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["fingerprint", "created_at"], name="open311_fingerprint")]

    def __str__(self) -> str:
        return self.token
