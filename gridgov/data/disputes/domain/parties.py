"""The parties of a dispute: checked as they are entered (a name, a phone number, and the number of the party's
kind: a person's resident ID number, GB 11643; an organisation's 统一社会信用代码, GB 32100), written in the order
given, and shown by the one rule of ``org.disclosure``: a person masked, a company or other organisation by its name
and credit code; a person in full only to the roles that may see personal data on a case (logged)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from gridgov.data.cases.domain.personal_data import can_reveal
from gridgov.data.disputes.enums import PartyKind, PartyRole
from gridgov.data.disputes.models import Dispute, DisputeParty
from gridgov.data.disputes.names import names_an_organisation
from gridgov.data.errors import InvalidInput, NotAllowed
from gridgov.data.idcard import check_id_number, normalise
from gridgov.data.org import phones
from gridgov.data.org.credit_code import normalise_credit_code
from gridgov.data.org.disclosure import Holder, Item, as_private, disclose, shown
from gridgov.data.org.enums import SecurityEventKind
from gridgov.data.org.models import Area, User
from gridgov.data.org.security import Client, record_event


@dataclass(frozen=True, slots=True)
class PartyInput:
    name: str
    phone: str = ""
    id_number: str = ""
    role: PartyRole = PartyRole.APPLICANT
    kind: PartyKind | None = None  # None: told by the name (``kind_of_name``)


def kind_of_name(name: str) -> PartyKind:
    """The kind of a party whose kind was not given, told by its name (``disputes.names``: an organisation only by
    a clear organisation's ending; a typical personal name, or a doubtful one, is a person, whose name is masked)."""
    return PartyKind.ORGANISATION if names_an_organisation(name) else PartyKind.PERSON


# What a sheet's 当事人类型 may hold: the two kinds, and the words a clerk writes for an organisation.
PARTY_KIND_WORDS = {"个人": PartyKind.PERSON, "单位": PartyKind.ORGANISATION, "企业": PartyKind.ORGANISATION,
                    "公司": PartyKind.ORGANISATION, "组织": PartyKind.ORGANISATION}  # fmt: skip


def party_kind_named(value: str) -> PartyKind | None:
    """The kind a sheet's 当事人类型 cell names (个人; 单位, 企业, 公司, 组织; or the stored value); None when
    blank (the kind is then told by the name); InvalidInput naming the allowed words otherwise."""
    word = value.strip()
    if not word:
        return None
    if word in PARTY_KIND_WORDS:
        return PARTY_KIND_WORDS[word]
    if word.lower() in PartyKind.values:
        return PartyKind(word.lower())
    raise InvalidInput(
        _("当事人类型“%(v)s”无效，请填写“个人”或“单位”（企业、公司、组织也按单位）") % {"v": word}, field="party_kind"
    )


def check_phone(value: str) -> str:
    """A party's phone as ``org.phones.check_phone`` reads it ("" stays "")."""
    return phones.check_phone(value, field="phone", label=_("电话号码"))


def _passes(check: Callable[[str], str], value: str) -> bool:
    try:
        check(value)
    except InvalidInput:
        return False
    return True


def check_party_number(value: str, *, kind: PartyKind) -> str:
    """A party's 证件号码 checked by its kind and normalised ("" stays ""): a person's resident ID number
    (``idcard``), an organisation's 统一社会信用代码 (``org.credit_code``). A valid number of the other kind is
    refused with a message that says which number the kind takes, naming it as ``org.disclosure`` shows it (a
    resident ID number masked, a credit code in full)."""
    if not value.strip():
        return ""
    if kind == PartyKind.ORGANISATION:
        try:
            return normalise_credit_code(value, field="id_number")
        except InvalidInput as error:
            if _passes(check_id_number, value):
                raise InvalidInput(
                    _(
                        "单位当事人请填写18位统一社会信用代码，%(v)s 是身份证号；"
                        "当事人是个人的，请将当事人类型选为“个人”"
                    )
                    % {"v": as_private(normalise(value), item=Item.ID_NUMBER)},
                    field="id_number",
                ) from None
            raise InvalidInput(
                _("单位当事人请填写18位统一社会信用代码：%(reason)s") % {"reason": error.message}, field="id_number"
            ) from None
    try:
        return check_id_number(value)
    except InvalidInput:
        if _passes(normalise_credit_code, value):
            raise InvalidInput(
                _("个人当事人请填写身份证号，“%(v)s”是统一社会信用代码；当事人是单位的，请将当事人类型选为“单位”")
                % {"v": shown(normalise_credit_code(value), holder=Holder.ORGANISATION, item=Item.ID_NUMBER)},
                field="id_number",
            ) from None
        raise


def check_parties(parties: Sequence[PartyInput]) -> list[PartyInput]:
    if not parties:
        raise InvalidInput(_("请至少填写一位当事人"), field="parties")
    checked = []
    for party in parties:
        name = party.name.strip()
        if not name:
            raise InvalidInput(_("当事人姓名不能为空"), field="parties")
        kind = PartyKind(party.kind) if party.kind else kind_of_name(name)
        checked.append(
            PartyInput(
                name=name[:64],
                phone=check_phone(party.phone),
                id_number=check_party_number(party.id_number, kind=kind),
                role=PartyRole(party.role),
                kind=kind,
            )
        )
    return checked


def party_rows(*, town: Area, dispute: Dispute, parties: Sequence[PartyInput]) -> list[DisputeParty]:
    """The parties of ``dispute`` as rows, in the order given (checked by ``check_parties`` or a ledger import)."""
    return [
        DisputeParty(
            town=town,
            dispute=dispute,
            role=p.role,
            kind=p.kind or kind_of_name(p.name),
            name=p.name,
            phone=p.phone,
            id_number=p.id_number,
            sort_order=i,
        )
        for i, p in enumerate(parties)
    ]


@dataclass(frozen=True, slots=True)
class PartyView:
    role: str
    kind: str
    name: str
    phone: str
    id_number: str
    masked: bool


HOLDERS = {PartyKind.PERSON: Holder.PRIVATE, PartyKind.ORGANISATION: Holder.ORGANISATION}


def party_view(party: DisputeParty, *, revealed: bool = False) -> PartyView:
    """``party`` as shown: a person masked (in full after a logged reveal), an organisation by its name."""
    shown = disclose(
        holder=HOLDERS[PartyKind(party.kind)],
        name=party.name,
        phone=party.phone,
        id_number=party.id_number,
        revealed=revealed,
    )
    return PartyView(
        role=str(PartyRole(party.role).label),
        kind=party.kind,
        name=shown.name,
        phone=shown.phone,
        id_number=shown.id_number,
        masked=shown.masked,
    )


def parties_shown(dispute: Dispute) -> list[PartyView]:
    return [party_view(p) for p in dispute.parties.all()]


def party_names(dispute: Dispute) -> str:
    """The parties' names as the ledger's list and its export show them (张**、岱西船舶修造有限公司)."""
    return "、".join(party_view(p).name for p in dispute.parties.all())


def reveal_parties(*, user: User, dispute: Dispute, client: Client | None = None) -> list[PartyView]:
    """The parties in full, for the command room, leaders and admins; the unmasking is logged."""
    if not can_reveal(user, dispute.case):  # the one rule of unmasking personal data on a case
        raise NotAllowed(_("您的角色不能查看当事人的完整信息"))
    record_event(
        kind=SecurityEventKind.PERSONAL_DATA_REVEALED,
        user=user,
        client=client,
        detail={"case": dispute.case.number, "fields": ["party_name", "party_phone", "party_id_number"]},
    )
    return [party_view(p, revealed=True) for p in dispute.parties.all()]
