"""The field declarations the ledgers repeat, each rule once: an optional reference without a reverse accessor, the
person who wrote or did something, and the key a spreadsheet import finds its row again by (with its index).

Only Django here (the referenced model is passed in), so ``org.models`` and every ledger app above it may use it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django_stubs_ext import StrOrPromise

if TYPE_CHECKING:
    from gridgov.data.org.models import User


def optional_link[M: models.Model](
    to: type[M], verbose_name: StrOrPromise | None = None, *, db_index: bool = True, help_text: StrOrPromise = ""
) -> models.ForeignKey[M | None, M | None]:
    """An optional reference (a village, a grid, a department …) that the referenced row does not list back
    (``related_name="+"``); the referenced row cannot be deleted while referenced."""
    return models.ForeignKey(
        to,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=db_index,
        help_text=help_text,
    )


def acting_user(verbose_name: StrOrPromise, *, db_index: bool = True) -> models.ForeignKey[User | None, User | None]:
    """The person who wrote or did something (登记人, 填报人, 操作人 …): the row outlives their account, which
    becomes empty when it is deleted."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=db_index,
    )


def import_key_field() -> models.CharField[str, str]:
    """The key a spreadsheet import finds its row again by (a second import of the same sheet updates, not adds)."""
    return models.CharField(max_length=64, blank=True, editable=False)


def import_key_index(prefix: str) -> models.Index:
    """The index a town's import looks its rows up by ``import_key`` in: named ``<prefix>_import``."""
    return models.Index(fields=["town", "import_key"], name=f"{prefix}_import")
