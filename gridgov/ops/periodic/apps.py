from django.apps import AppConfig


class Config(AppConfig):
    """The periodic checks of every app, run by one loop (``manage.py deadline_alerts --loop``): it sits above the
    data apps, so it may call each of them (the ledgers may not call one another)."""

    name = "gridgov.ops.periodic"
    label = "periodic"
