"""Import a ledger sheet from the command line: check it, then import everything or nothing."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from gridgov.data.errors import DomainError
from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area, User
from gridgov.data.sheets.framework import dry_run, import_sheet
from gridgov.data.sheets.importer import ImportContext, get_importer, importers
from gridgov.types import FromDjango


class Command(BaseCommand):
    help = "Import an .xlsx ledger sheet (all rows or none). Importers: see --list."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("importer", nargs="?", help="importer name, e.g. hazards")
        parser.add_argument("file", nargs="?", type=Path)
        parser.add_argument("--town", help="town code (defaults to the only town)")
        parser.add_argument("--user", help="username recorded as the importer")
        parser.add_argument("--dry-run", action="store_true", help="only check, write nothing")
        parser.add_argument("--list", action="store_true", help="list the importers")

    def handle(self, *args: FromDjango, **options: FromDjango) -> None:
        if options["list"] or not options["importer"]:
            for importer in importers():
                self.stdout.write(f"{importer.name}\t{importer.title}")
            return
        if options["file"] is None:
            raise CommandError("give the .xlsx file to import")
        try:
            importer = get_importer(options["importer"])
        except DomainError as error:
            raise CommandError(error.message) from None
        towns = Area.objects.filter(level=AreaLevel.TOWN)
        if options["town"]:
            towns = towns.filter(code=options["town"])
        found = list(towns[:2])
        if len(found) != 1:
            raise CommandError("name the town with --town CODE")
        user = User.objects.filter(username=options["user"]).first() if options["user"] else None
        ctx = ImportContext(town=found[0], user=user, now=timezone.now())
        content = Path(options["file"]).read_bytes()

        def progress(done: int, total: int, message: str) -> None:
            width = 30
            filled = width * done // total if total else width
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {message}    ")
            sys.stderr.flush()

        try:
            if options["dry_run"]:
                report = dry_run(importer=importer, content=content, ctx=ctx, progress=progress)
            else:
                report = import_sheet(importer=importer, content=content, ctx=ctx, progress=progress)
        except DomainError as error:
            raise CommandError(error.message) from None
        sys.stderr.write("\n")
        for row_error in report.errors:
            self.stdout.write(f"第{row_error.row}行 {row_error.column}: {row_error.message}")
        if report.hidden_notice:
            self.stdout.write(report.hidden_notice)
        self.stdout.write(
            f"rows={report.total} valid={report.valid} skipped={report.skipped} imported={report.imported} "
            f"errors={len(report.errors)}"
        )
        if report.errors:
            raise CommandError("nothing was imported: fix the rows above")
