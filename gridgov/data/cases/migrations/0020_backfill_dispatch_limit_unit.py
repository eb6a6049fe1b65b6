"""Every case states the unit its dispatch limit was set in.

Migration 0019 added ``Case.dispatch_limit_unit`` and left it blank on the cases whose dispatch clock had started
before it; the code read such a case's unit from its clock (自然日 on a calendar clock, else 工作时, the default
dispatch limit). This writes that reading into the column, one UPDATE per condition, so the code need not guess.

Going back blanks the units this migration writes — those that say what 0019's code read from the clock —
so that code reads every case as it did before. (A case started after 0019 whose unit is that same one is
blanked too: it reads the same.)

The values are written out here, not imported from the app (``TimeUnit``, ``Clock``), so this migration keeps
meaning what it meant when it was written.
"""

from django.db import migrations
from django.db.models import Q

CALENDAR_CLOCK = "calendar"
CALENDAR_DAYS = "calendar_days"
WORK_HOURS = "work_hours"
# The unit a clock reads in when none was stored: a calendar clock 自然日, any other clock 工作时.
READ_FROM_CLOCK = (
    (Q(dispatch_clock=CALENDAR_CLOCK), CALENDAR_DAYS),
    (~Q(dispatch_clock=CALENDAR_CLOCK), WORK_HOURS),
)


def forwards(apps, schema_editor):
    cases = apps.get_model("cases", "Case").objects.using(schema_editor.connection.alias)
    for clock, unit in READ_FROM_CLOCK:
        cases.filter(clock, dispatch_limit_unit="").update(dispatch_limit_unit=unit)


def backwards(apps, schema_editor):
    cases = apps.get_model("cases", "Case").objects.using(schema_editor.connection.alias)
    for clock, unit in READ_FROM_CLOCK:
        cases.filter(clock, dispatch_limit_unit=unit).update(dispatch_limit_unit="")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0019_dispatch_limit_unit"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
