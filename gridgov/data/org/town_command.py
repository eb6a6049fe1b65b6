"""A management command run for one town, named on the command line by its division code (区划代码)."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gridgov.data.org.enums import AreaLevel
from gridgov.data.org.models import Area
from gridgov.types import FromDjango


class TownCommand(BaseCommand):
    """Takes ``town_code``, finds the town (or stops with a clear error) and calls ``handle_town`` with it."""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("town_code", help="乡镇的区划代码")

    def handle(self, *args: FromDjango, **options: FromDjango) -> None:
        town = Area.objects.filter(code=options["town_code"], level=AreaLevel.TOWN).first()
        if town is None:
            raise CommandError(f"没有区划代码为 {options['town_code']} 的乡镇")
        self.handle_town(town)

    def handle_town(self, town: Area) -> None:
        raise NotImplementedError
