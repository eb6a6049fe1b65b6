"""The baseline of ``bench/intake.py``: GridGov's own settings, one view that inserts one row.

Run by gunicorn as ``gridgov.wsgi:application`` with ``DJANGO_SETTINGS_MODULE=bench.intake_bare``: the same
middleware, database options (SQLite WAL + IMMEDIATE transactions, or PostgreSQL; persistent connections),
debug off — only the URLconf differs. The view reads the JSON body and inserts it in one transaction.
"""

from __future__ import annotations

import json

from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from gridgov.settings import *  # noqa: F403

ROOT_URLCONF = "bench.intake_bare"
TABLE = "bench_intake_row"


@csrf_exempt
def insert_one(request: HttpRequest) -> HttpResponse:
    body = json.loads(request.body)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (created_at, idempotency_key, description) VALUES (%s, %s, %s) RETURNING id",
            [timezone.now(), request.headers.get("Idempotency-Key", ""), body.get("description", "")],
        )
        row_id = cursor.fetchone()[0]
    return JsonResponse({"id": row_id}, status=201)


def healthz(request: HttpRequest) -> HttpResponse:
    """What ``bench/intake.py`` polls until the server is up (GridGov's own ``/healthz`` on the other)."""
    return JsonResponse({"status": "ok"})


urlpatterns = [path("bare", insert_one), path("healthz", healthz)]
