"""Re-encrypt all personal data under the current GRIDGOV_FIELD_ENCRYPTION_KEY.

Replacing the key: set GRIDGOV_FIELD_ENCRYPTION_KEY to the new key (``--generate`` prints one) and
GRIDGOV_FIELD_ENCRYPTION_OLD_KEYS to the old one, run this command, then drop the old key."""

from django.core.management.base import BaseCommand, CommandParser

from gridgov.data.privacy import generate_key, rotate_all
from gridgov.types import FromDjango


class Command(BaseCommand):
    help = "用当前 GRIDGOV_FIELD_ENCRYPTION_KEY 重新加密全部个人信息（旧密钥放在 GRIDGOV_FIELD_ENCRYPTION_OLD_KEYS）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--generate", action="store_true", help="只打印一个新的随机密钥，不做其他事")

    def handle(self, *args: FromDjango, **options: FromDjango) -> None:
        if options["generate"]:
            self.stdout.write(generate_key())
            return
        done = rotate_all()
        for label, count in done.items():
            self.stdout.write(f"{label}：{count} 行")
        self.stdout.write(self.style.SUCCESS("已用当前密钥重新加密全部个人信息，并更新密钥校验值；现在可以移除旧密钥"))
