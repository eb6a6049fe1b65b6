"""Phone numbers as people write them in forms and sheets ("0571-8888 1234", "+86 139 1234 5678").

Here, beside the organisation, rather than in one ledger: a resident, a dispute's party and an enterprise's
contact all give a phone the same way, and the ledger apps may not import one another. The phone pages'
mainland mobile numbers (``ui/phone/forms.py``) are written the same way too.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from gridgov.data.errors import InvalidInput

PHONE = re.compile(r"\+?\d{7,15}")  # a landline with its area code, a mobile, or either with a country code


def written_phone(value: str) -> str:
    """``value`` without the spaces and hyphens people write in it ("0571-8888 1234" → "057188881234")."""
    return re.sub(r"[\s-]", "", value)


def check_phone(value: str, *, field: str, label: str, echo: bool = True) -> str:
    """A contact's phone number, spaces and hyphens taken out: 7 to 15 digits after an optional "+"; "" stays "".

    Otherwise InvalidInput on ``field``: "``label``“the number”格式不正确", or "``label``格式不正确" when not ``echo``.
    """
    phone = written_phone(value)
    if phone and not PHONE.fullmatch(phone):
        if echo:
            raise InvalidInput(_("%(label)s“%(v)s”格式不正确") % {"label": label, "v": phone}, field=field)
        raise InvalidInput(_("%(label)s格式不正确") % {"label": label}, field=field)
    return phone
