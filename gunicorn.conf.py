"""gunicorn settings read by every ``gunicorn gridgov.wsgi`` started from the project directory.

``post_worker_init`` warms each worker before it takes its first request: the reference data every report
and action reads (working calendar, towns, categories, time limits — ``gridgov.data.cases.domain.reference``)
is loaded once, the URLconf imported and its reverse look-up built, and the database connection opened. A
worker that cannot warm (database not reachable yet) still starts and loads what it needs on its first request.
"""

from __future__ import annotations

import logging
from typing import Any


def post_worker_init(worker: Any) -> None:
    try:
        from django.db import connection
        from django.urls import get_resolver

        from gridgov.data.cases.domain import reference

        resolver = get_resolver()
        resolver.url_patterns  # noqa: B018 — import every URLconf and view module now
        resolver.reverse_dict  # noqa: B018 — and build the reverse look-up (``reverse()``), ~0.5 s of CPU
        reference.warm()
        connection.close_if_unusable_or_obsolete()
    except Exception:
        logging.getLogger("gridgov.gunicorn").exception("预热工作进程失败（将在首个请求时加载）")
