"""`motcua token`: API keys for officials and connected systems (docs/api.md, Dossiers).

    motcua token create USERNAME [--name NAME]   # prints the key once
    motcua token list [USERNAME]
    motcua token revoke PREFIX
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.accounts.models import ApiToken


class Command(BaseCommand):
    help = "Khóa API của cán bộ và hệ thống kết nối / API keys: create, list, revoke."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="tạo khóa mới cho một tài khoản / create a key")
        create.add_argument("username")
        create.add_argument("--name", default="API", help="tên gợi nhớ của khóa / label, e.g. the system's name")
        listing = sub.add_parser("list", help="liệt kê khóa / list keys")
        listing.add_argument("username", nargs="?")
        revoke = sub.add_parser("revoke", help="thu hồi khóa / revoke a key")
        revoke.add_argument("prefix", help="đầu khóa như `token list` in ra / the prefix `list` shows")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _user(self, username: str):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có tài khoản “{username}”.")
        if not user.is_active:
            raise CommandError(f"Tài khoản “{username}” đang bị khóa: khóa API của nó sẽ không dùng được.")
        return user

    def _create(self, *, username, name, **_options):
        user = self._user(username)
        token, key = ApiToken.issue(user, name)
        self.stderr.write(
            f"Đã tạo khóa “{token.name}” cho {user.get_username()} (đầu khóa {token.prefix}). "
            "Hãy lưu lại ngay: khóa chỉ hiện một lần này."
        )
        # The key alone on stdout, so a script can capture it: KEY=$(motcua token create ...).
        self.stdout.write(key)

    def _list(self, *, username=None, **_options):
        tokens = ApiToken.objects.select_related("user").order_by("user__username", "created_at")
        if username:
            tokens = tokens.filter(user=self._user(username))
        for t in tokens:
            state = f"thu hồi {timezone.localtime(t.revoked_at):%d/%m/%Y %H:%M}" if t.revoked_at else "đang dùng"
            used = f"{timezone.localtime(t.last_used_at):%d/%m/%Y %H:%M}" if t.last_used_at else "chưa dùng"
            self.stdout.write(f"{t.prefix}\t{t.user.get_username()}\t{t.name}\t{state}\tdùng lần cuối: {used}")

    def _revoke(self, *, prefix, **_options):
        tokens = list(ApiToken.objects.filter(prefix=prefix, revoked_at__isnull=True))
        if not tokens:
            raise CommandError(f"Không có khóa đang dùng nào có đầu khóa “{prefix}”.")
        if len(tokens) > 1:
            raise CommandError(f"Có {len(tokens)} khóa cùng đầu “{prefix}”; thu hồi trong trang quản trị.")
        tokens[0].revoke()
        self.stdout.write(self.style.SUCCESS(f"Đã thu hồi khóa {prefix} ({tokens[0].name})."))
