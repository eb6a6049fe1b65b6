"""Checks of a deployment that ``settings`` cannot make while it is read (they need the apps loaded).

Static files: with ``GRIDGOV_DEBUG`` off, pages name their CSS and scripts through the manifest that
``manage.py collectstatic`` writes (whitenoise's ``CompressedManifestStaticFilesStorage``); a file missing from
it makes every page that uses it answer 500. So a web process refuses to start instead — ``runserver`` and
``manage.py check`` through the system check (``static_files_check``), gunicorn through ``gridgov.wsgi``
(``check_static_files_at_start``), with a message naming the command to run. Batch commands (``migrate``,
``backup``, the workers) serve no pages and are not stopped by it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import storages

from gridgov.types import FromDjango

COLLECT = "manage.py collectstatic --noinput"
# collectstatic's own default: what it never copies, so never in the manifest either.
_IGNORED = ["CVS", ".*", "*~"]
# The commands that serve pages (or check a deployment that will): the rest are batch work.
_SERVING_COMMANDS = {"runserver", "check"}


def static_files_problems() -> list[str]:
    """What keeps pages from rendering with DEBUG off: the manifest missing, or files collected before the
    current code (a new or renamed file). Empty in DEBUG, or with a storage that keeps no manifest."""
    if settings.DEBUG:
        return []
    storage = storages.create_storage(settings.STORAGES["staticfiles"])  # reads the manifest as it is now
    if not isinstance(storage, ManifestFilesMixin):
        return []
    manifest = Path(settings.STATIC_ROOT) / storage.manifest_name
    if not storage.manifest_storage.exists(storage.manifest_name):
        return [
            f"静态文件尚未收集（缺少 {manifest}）：GRIDGOV_DEBUG 关闭时所有页面都会出错。请先运行 {COLLECT}。"
            f" / Static files have not been collected ({manifest} is missing): with GRIDGOV_DEBUG off every"
            f" page would fail. Run {COLLECT} first."
        ]
    collected = set(storage.hashed_files)
    missing = sorted({path for finder in get_finders() for path, _source in finder.list(_IGNORED)} - collected)
    if not missing:
        return []
    return [
        f"静态文件清单（{manifest}）已过期：{len(missing)}个文件未收集（如 {missing[0]}），用到它们的页面会出错。"
        f"请重新运行 {COLLECT}。 / The static files manifest ({manifest}) is out of date: {len(missing)}"
        f" files are not collected (e.g. {missing[0]}); pages using them would fail. Run {COLLECT} again."
    ]


def _serving() -> bool:
    """Whether this process serves pages: not a management command other than runserver or check."""
    if Path(sys.argv[0]).name not in ("manage.py", "django-admin"):
        return True
    return sys.argv[1:2] == [] or sys.argv[1] in _SERVING_COMMANDS


def static_files_check(app_configs: FromDjango = None, **kwargs: FromDjango) -> list[checks.CheckMessage]:
    """The system check (runserver, manage.py check): static files collected when DEBUG is off."""
    if not _serving():
        return []
    return [checks.Error(problem, id="gridgov.E003") for problem in static_files_problems()]


def check_static_files_at_start() -> None:
    """For gunicorn (which runs no system checks): refuse to serve pages that would all fail."""
    problems = static_files_problems()
    if problems:
        raise ImproperlyConfigured("；".join(problems))
