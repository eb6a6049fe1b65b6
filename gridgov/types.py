"""Where GridGov's types are open on purpose, each with its reason — so that no ``Any`` is silent.

Every ``Any`` under ``gridgov/`` is one of the names below, or stands on a line that says why (``# Any: …``);
``tests/test_types.py`` holds the code to that.
"""

from typing import Any

from django.db.models import Field

# A JSON object as ``json.loads`` gives it and ``json.dumps`` takes it (API answers, payloads sent to DingTalk
# or WeCom, an action's ``data``, a stored snapshot): its values are whatever JSON holds, and the code that
# reads one checks it (an API answer is also checked against the endpoint's response schema).
type JSONObject = dict[str, Any]

# A template's context: the template reads each value by name, whatever its type.
type TemplateContext = dict[str, Any]

# Keyword arguments gathered in one place and passed on with ``**`` to a function whose own signature types
# them (a ledger's case fields for ``report_case``, an action's needs for ``apply_action``).
type Keywords = dict[str, Any]

# An Excel row's values by column key, and one cell's value, as openpyxl reads them: str, int, float, bool,
# date, datetime, time or None. Each column's reader checks what it got and says in Chinese what is wrong.
type CellValue = Any
type SheetRow = dict[str, CellValue]

# An importer's parsed row: each importer's own dataclass, which the framework only hands back to it.
type ParsedRow = Any

# A value bound into SQL or read from it: whatever its column's field stores (str, int, Decimal, datetime,
# bytes, None …). The field and the database driver check it.
type SQLValue = Any

# A model field of any kind: django-stubs types a field by what it is set to and what it gives, which differ
# from field to field.
type AnyField = Field[Any, Any]

# What a Django or third-party hook hands us, or expects back, that their stubs leave untyped: a management
# command's options, the admin's objects and forms, signal senders and their keyword arguments, a system
# check's app configs, a form's cleaned data, arguments passed on unchanged to a base class.
type FromDjango = Any
