"""Registering enterprises and their users; who may act for which enterprise."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from gridgov.data.cases.domain import reference
from gridgov.data.cases.scope import is_global_admin, memberships_of
from gridgov.data.errors import Conflict, InvalidInput, NotAllowed
from gridgov.data.org import phones
from gridgov.data.org.credit_code import normalise_credit_code
from gridgov.data.org.disclosure import Holder, Item, shown
from gridgov.data.org.domain import grant_role
from gridgov.data.org.enums import AreaLevel, Role
from gridgov.data.org.models import Area, Enterprise, Membership, User

# Town staff who keep the enterprise ledgers (enter government checks, meetings, imports).
STAFF_ROLES = (Role.OPERATOR, Role.LEADER, Role.ADMIN, Role.HANDLER, Role.GRID_WORKER, Role.VILLAGE_STAFF)
MANAGER_ROLES = (Role.OPERATOR, Role.LEADER, Role.ADMIN)


def check_phone(phone: str, *, field: str = "contact_phone") -> str:
    """An enterprise contact's phone as ``org.phones.check_phone`` reads it ("" stays "")."""
    return phones.check_phone(phone, field=field, label=_("联系电话"))


def create_enterprise(
    *,
    town: Area,
    name: str,
    credit_code: str,
    address: str = "",
    village: Area | None = None,
    contact_name: str = "",
    contact_phone: str = "",
) -> Enterprise:
    """Register an enterprise of ``town``; the credit code must be valid and unique within the town."""
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("请填写企业名称"), field="name")
    if len(name) > 100:
        raise InvalidInput(_("企业名称不能超过100字"), field="name")
    code = normalise_credit_code(credit_code)
    if village is not None and (village.town_id != town.pk or village.level != AreaLevel.VILLAGE):
        raise InvalidInput(_("“%(v)s”不是%(t)s的村/社区") % {"v": village.name, "t": town.name}, field="village")
    phone = check_phone(contact_phone)
    with transaction.atomic():
        existing = Enterprise.objects.filter(town=town, credit_code=code).first()
        if existing is not None:
            raise Conflict(_("统一社会信用代码 %(code)s 已登记为“%(name)s”") % {"code": code, "name": existing.name})
        return Enterprise.objects.create(
            town=town,
            name=name,
            credit_code=code,
            address=(address or "").strip()[:255],
            village=village,
            contact_name=(contact_name or "").strip()[:64],
            contact_phone=phone,
        )


def masked_contact_phone(enterprise: Enterprise) -> str:
    """The contact person's phone as shown (``org.disclosure``: a company's contact acts for it — the name in full,
    the mobile masked)."""
    return shown(enterprise.contact_phone, holder=Holder.OFFICIAL, item=Item.PHONE)


def add_enterprise_user(*, user: User, enterprise: Enterprise) -> Membership:
    return grant_role(user=user, role=Role.ENTERPRISE, enterprise=enterprise)


def own_enterprise_ids(user: User) -> set[int]:
    """The enterprises ``user`` belongs to as an enterprise user."""
    return {m.enterprise_id for m in memberships_of(user) if m.role == Role.ENTERPRISE and m.enterprise_id is not None}


def staff_town_ids(user: User, roles: tuple[Role, ...] = STAFF_ROLES) -> set[int]:
    """Towns in which ``user`` holds one of ``roles`` (global admins: every town)."""
    memberships = memberships_of(user)
    ids = {m.town_id for m in memberships if m.role in roles and m.town_id is not None}
    if is_global_admin(user, memberships):
        # the towns from the per-process reference cache: no query per call (an import asks per row)
        ids.update(town.pk for town in reference.towns(None))
    return ids


def is_enterprise_user(user: User) -> bool:
    return bool(own_enterprise_ids(user)) and not staff_town_ids(user)


def visible_enterprises(user: User) -> QuerySet[Enterprise]:
    """Enterprises ``user`` may see: their own company, or every enterprise of the towns they serve."""
    if not user.is_authenticated or not user.is_active:
        return Enterprise.objects.none()
    towns = staff_town_ids(user)
    own = own_enterprise_ids(user)
    if towns:
        return Enterprise.objects.filter(town_id__in=towns) | Enterprise.objects.filter(pk__in=own)
    return Enterprise.objects.filter(pk__in=own)


def check_may_act_for(user: User, enterprise: Enterprise, *, staff_roles: tuple[Role, ...] = STAFF_ROLES) -> Role:
    """The capacity in which ``user`` may record for ``enterprise`` (its own user, or town staff)."""
    if enterprise.town_id in staff_town_ids(user, staff_roles):
        return Role.OPERATOR
    if enterprise.pk in own_enterprise_ids(user):
        return Role.ENTERPRISE
    raise NotAllowed(_("您无权为“%(name)s”登记") % {"name": enterprise.name})
