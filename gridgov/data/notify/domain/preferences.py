"""A user's choice of channels per kind of event, within the channels the admin allows."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from gridgov.data.errors import InvalidInput
from gridgov.data.notify.channels.registry import PERSONAL, ChannelName, allowed_channels
from gridgov.data.notify.domain.planning import address_of, default_on
from gridgov.data.notify.enums import URGENT, EventKind
from gridgov.data.notify.models import ChannelAccount, Preference
from gridgov.data.org.models import User

#: The kinds a staff member can choose channels for (digests and residents' SMS are not personal choices).
CHOOSABLE = [kind for kind in EventKind if kind not in (EventKind.DIGEST, EventKind.REPORTER_STATUS)]


@dataclass(frozen=True, slots=True)
class Cell:
    kind: str
    channel: str
    enabled: bool
    linked: bool  # the user has an address (id, e-mail, number) for this channel


@dataclass(frozen=True, slots=True)
class Row:
    kind: str
    label: str
    urgent: bool  # sent even in quiet hours
    cells: list[Cell]


@dataclass(frozen=True, slots=True)
class Table:
    channels: list[tuple[str, str]]  # (name, label) of the personal channels the admin allows
    rows: list[Row]


def _channels() -> list[str]:
    return [name for name in allowed_channels() if name in PERSONAL]


def _linked(user: User, account: ChannelAccount | None) -> dict[str, bool]:
    return {
        name: bool(address_of(channel=name, user_email=user.email, user_phone=user.phone, account=account))
        for name in PERSONAL
    }


def preference_table(*, user: User) -> Table:
    """The user's channels per event kind: chosen, default, and whether the user has an address there."""
    channels = _channels()
    chosen = {(p.kind, p.channel): p.enabled for p in Preference.objects.filter(user=user)}
    linked = _linked(user, ChannelAccount.objects.filter(user=user).first())
    rows = [
        Row(
            kind=kind,
            label=str(kind.label),
            urgent=kind in URGENT,
            cells=[
                Cell(
                    kind=kind,
                    channel=name,
                    enabled=chosen.get((kind, name), default_on(kind, name)),
                    linked=linked[name],
                )
                for name in channels
            ],
        )
        for kind in CHOOSABLE
    ]
    return Table(channels=[(name, str(ChannelName(name).label)) for name in channels], rows=rows)


def set_preference(*, user: User, kind: str, channel: str, enabled: bool) -> Cell:
    """Switch one channel on or off for one kind of event; returns the cell as it now is."""
    if kind not in CHOOSABLE:
        raise InvalidInput(_("未知的消息类型"), code="invalid_kind")
    if channel not in _channels():
        raise InvalidInput(_("该渠道未开通"), code="invalid_channel")
    Preference.objects.update_or_create(user=user, kind=kind, channel=channel, defaults={"enabled": enabled})
    linked = _linked(user, ChannelAccount.objects.filter(user=user).first())
    return Cell(kind=kind, channel=channel, enabled=enabled, linked=linked[channel])
