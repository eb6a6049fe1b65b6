"""The background task that checks or imports one uploaded sheet."""

from __future__ import annotations

from django.tasks import task

from gridgov.data.sheets.jobs import run_job


@task()
def run_import_job(job_id: int) -> int:
    """Run the import job; returns how many rows were written."""
    report = run_job(job_id=job_id)
    return 0 if report is None else report.imported
