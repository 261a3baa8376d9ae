"""`motcua pki ...`: the development CA, agency certificates, trust anchors.

    motcua pki init-ca                      create (or show) the development root CA
    motcua pki issue 000.21.31.H53          a 2-year signing certificate for an agency, from the dev CA
    motcua pki ensure-dev [--demo]          what `motcua setup` runs: dev CA + certificates, if MOTCUA_DEV_PKI allows
    motcua pki list [ORGAN_CODE]            agency certificates and trust anchors
    motcua pki revoke SERIAL --reason ...   stop using a certificate
    motcua pki import ORGAN_CODE FILE.p12   install a certificate and key issued by a licensed CA
    motcua pki add-anchor CA.pem            trust a CA (e.g. the national root CA) for verification
"""

import os
from datetime import timedelta
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from motcua.signing import conf, pki
from motcua.signing.errors import PkiError
from motcua.signing.models import AgencyCertificate, TrustAnchor
from motcua.units.models import Agency


def _agency(organ_code: str) -> Agency:
    agency = Agency.objects.filter(organ_code=organ_code.strip()).first()
    if agency is None:
        raise CommandError(f"Không có cơ quan mang mã định danh “{organ_code}”.")
    return agency


def _date(value) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y") if value else "—"


class Command(BaseCommand):
    help = "Development CA, agency signing certificates and trust anchors (docs/signing.md)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        sub.add_parser("init-ca", help="create the development root CA (once)")
        issue = sub.add_parser("issue", help="issue an agency signing certificate from the development CA")
        issue.add_argument("organ_code")
        issue.add_argument("--days", type=int, default=pki.AGENCY_VALIDITY.days, help="validity (default 730)")
        ensure = sub.add_parser("ensure-dev", help="development CA and certificates, when MOTCUA_DEV_PKI allows")
        ensure.add_argument("--demo", action="store_true", help="the demo set-up is being created")
        listing = sub.add_parser("list", help="list agency certificates and trust anchors")
        listing.add_argument("organ_code", nargs="?")
        revoke = sub.add_parser("revoke", help="revoke an agency certificate")
        revoke.add_argument("serial")
        revoke.add_argument("--reason", required=True)
        imp = sub.add_parser("import", help="install a PKCS#12 (.p12/.pfx) issued by a licensed CA")
        imp.add_argument("organ_code")
        imp.add_argument("file")
        imp.add_argument("--password-env", default="MOTCUA_P12_PASSWORD",
                         help="environment variable holding the file's password (default MOTCUA_P12_PASSWORD)")
        anchor = sub.add_parser("add-anchor", help="trust a CA certificate (PEM or DER) for verification")
        anchor.add_argument("file")
        anchor.add_argument("--name", default="")

    def handle(self, *args, action, **options):
        try:
            getattr(self, "do_" + action.replace("-", "_"))(**options)
        except PkiError as error:
            raise CommandError(error.message) from error

    def do_init_ca(self, **options):
        ca, created = pki.init_dev_ca()
        state = "Đã tạo" if created else "Đã có"
        self.stdout.write(f"{state} CA phát triển: {ca.cert.subject.rfc4514_string()} "
                          f"(hiệu lực đến {_date(ca.cert.not_valid_after_utc)}), tệp {conf.pki_dir() / pki.DEV_CA_FILE}")
        self.stdout.write(self.style.WARNING("CA phát triển chỉ dùng thử: chữ ký của nó không có giá trị pháp lý."))

    def do_issue(self, organ_code, days, **options):
        if days < 1 or days > 3650:
            raise CommandError("--days phải từ 1 đến 3650.")
        row = pki.issue_certificate(_agency(organ_code), validity=timedelta(days=days))
        self.stdout.write(f"Đã cấp chứng thư số {row.serial} cho {row.agency}: {row.subject}, "
                          f"hiệu lực đến {_date(row.not_after)}.")

    def do_ensure_dev(self, demo=False, **options):
        self.stdout.write("Chữ ký số:")
        if not conf.dev_pki_enabled(demo=demo):
            self.stdout.write("  Bỏ qua CA phát triển (MOTCUA_DEV_PKI=false): cài chứng thư số của cơ quan bằng "
                              "“motcua pki import”.")
            return
        for line in pki.ensure_dev_pki().lines():
            self.stdout.write("  " + line)

    def do_list(self, organ_code=None, **options):
        rows = AgencyCertificate.objects.select_related("agency").order_by("agency__organ_code", "-not_before")
        if organ_code:
            rows = rows.filter(agency=_agency(organ_code))
        for row in rows:
            state = f"thu hồi {_date(row.revoked_at)}" if row.revoked_at else (
                "còn hiệu lực" if row.is_usable() else "hết hiệu lực")
            key = "có khóa" if pki.key_file_exists(row) else "THIẾU TỆP KHÓA"
            self.stdout.write(f"{row.agency.organ_code}  {row.serial}  {_date(row.not_before)}–{_date(row.not_after)}"
                              f"  {state}, {key}  {row.agency.name}")
        if not organ_code:
            for anchor in TrustAnchor.objects.order_by("id"):
                flags = ("phát triển, " if anchor.is_development else "") + ("tin cậy" if anchor.active else "tắt")
                self.stdout.write(f"CA  {anchor.fingerprint[:16]}  {anchor.subject}  ({flags})")

    def do_revoke(self, serial, reason, **options):
        row = AgencyCertificate.objects.filter(serial__iexact=serial.strip()).first()
        if row is None:
            raise CommandError(f"Không có chứng thư số mang số hiệu “{serial}”.")
        row = pki.revoke_certificate(row, reason=reason)
        self.stdout.write(f"Đã thu hồi chứng thư số {row.serial} của {row.agency} lúc {_date(row.revoked_at)}.")

    def do_import(self, organ_code, file, password_env, **options):
        password = os.environ.get(password_env)
        try:
            data = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"Không đọc được tệp {file}: {error.strerror}.") from error
        row = pki.import_pkcs12(_agency(organ_code), data, password.encode() if password else None)
        self.stdout.write(f"Đã cài chứng thư số {row.serial} cho {row.agency}: {row.subject}; tổ chức cấp {row.issuer}.")

    def do_add_anchor(self, file, name, **options):
        try:
            data = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"Không đọc được tệp {file}: {error.strerror}.") from error
        anchor, created = pki.add_trust_anchor(data, name=name)
        self.stdout.write(("Đã thêm" if created else "Đã có") + f" CA tin cậy: {anchor.subject}.")
