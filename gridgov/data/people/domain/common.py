"""What the register's domain functions share: the scope checks of a write, the day of ``now``, phone numbers, and
the write of a checked row that another writer may have beaten to a unique value."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.data.errors import Conflict, InvalidInput, NotAllowed
from gridgov.data.org import phones
from gridgov.data.org.models import User
from gridgov.data.people.models import House, Household, Resident
from gridgov.data.people.scope import writable_households, writable_houses, writable_residents


def today_of(now: datetime) -> date:
    """The local day of ``now`` (Asia/Shanghai): what "not in the future" is measured against."""
    return timezone.localdate(now)


@contextmanager
def checked_write(recheck: Callable[[], object]) -> Iterator[None]:
    """The write of a row checked before its transaction (an ID number, an address, a 户号 unique in the town). When
    another writer took the same value in between, the database refuses the row; ``recheck`` — the same check, run
    again now that the other row is committed — then refuses it with the check's own Chinese message, and nothing
    is written (never a server error)."""
    try:
        with transaction.atomic():
            yield
    except IntegrityError:
        recheck()
        raise Conflict(_("刚有人登记了相同的信息，请刷新后重试")) from None


def create_checked[M: Model](
    model: type[M], values: Mapping[str, object], *, now: datetime, recheck: Callable[[], object]
) -> M:
    """A new row of ``model`` with its checked ``values`` (by field name), created and updated at ``now``, written
    under ``checked_write(recheck)``."""
    with checked_write(recheck):
        return model._default_manager.create(**values, created_at=now, updated_at=now)


def update_checked[M: Model](
    row: M, values: Mapping[str, object], *, now: datetime, recheck: Callable[[], object]
) -> M:
    """``row`` with its checked ``values`` (by field name) set and saved — those fields and ``updated_at`` = ``now``
    only — under ``checked_write(recheck)``."""
    fields = {**values, "updated_at": now}
    for name, value in fields.items():
        setattr(row, name, value)
    with checked_write(recheck):
        row.save(update_fields=list(fields))
    return row


def check_writes_house(actor: User, house: House) -> None:
    if not writable_houses(actor, House.objects.filter(pk=house.pk)).exists():
        raise NotAllowed(_("您无权修改该房屋的信息"))


def check_writes_household(actor: User, household: Household) -> None:
    if not writable_households(actor, Household.objects.filter(pk=household.pk)).exists():
        raise NotAllowed(_("您无权修改该户的信息"))


def check_writes_resident(actor: User, resident: Resident) -> None:
    if not writable_residents(actor, Resident.objects.filter(pk=resident.pk)).exists():
        raise NotAllowed(_("您无权修改该人员的信息"))


def check_phone(value: str) -> str:
    """A resident's phone as ``org.phones.check_phone`` reads it ("" stays ""); the message does not repeat it."""
    return phones.check_phone(value, field="phone", label=_("联系电话"), echo=False)


def check_text(value: str, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    """A stripped text within ``max_length``; InvalidInput naming ``label`` when empty (if required) or too long."""
    text = value.strip()
    if required and not text:
        raise InvalidInput(_("请填写%(label)s") % {"label": label}, field=field)
    if len(text) > max_length:
        raise InvalidInput(
            _("%(label)s不能超过%(n)d个字") % {"label": label, "n": max_length},
            field=field,
        )
    return text


# The dots typed between the parts of a name written in Chinese from another language (阿卜杜拉·买买提): the
# middle dot's look-alikes become the middle dot.
_NAME_DOTS = str.maketrans({"•": "·", "・": "·", "‧": "·", "．": "·", "∙": "·"})
_CJK = r"[\u3400-\u9fff\uf900-\ufaff·]"
_SPACE_IN_CHINESE = re.compile(rf"(?<={_CJK})\s+(?={_CJK})")


def check_person_name(value: str, *, field: str = "name", label: str = "") -> str:
    """A person's name as it is kept and searched: the spaces that pad a Chinese name to line up in a table
    (张　三, 欧阳 修) taken out, the spaces of a name in Latin letters (John Smith) kept single, look-alike dots
    made the middle dot. InvalidInput as :func:`check_text` (required, at most 64 characters)."""
    text = " ".join(value.translate(_NAME_DOTS).split())
    return check_text(_SPACE_IN_CHINESE.sub("", text), field=field, label=label or _("姓名"), max_length=64)
