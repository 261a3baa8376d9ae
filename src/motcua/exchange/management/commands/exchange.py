"""`motcua exchange …`: run the hub, manage organs, and use the axis from an agency's instance."""

import contextlib
import ctypes
import json
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from motcua.exchange import edxml, hublog, services
from motcua.exchange.client import ExchangeClient, HubError, send_document
from motcua.exchange.models import OutgoingDocument


def _die_with_parent():
    # A hub killed with SIGKILL must not leave its web workers or its pusher behind (Linux only).
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


class Command(BaseCommand):
    help = "Trục liên thông văn bản: serve, register-organ, send, inbox, sync, fetch, ack, status, inspect, verify-log, checkpoint, deliver."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)

        p = sub.add_parser("serve", help="chạy trục (gunicorn + tiến trình đẩy văn bản)")
        p.add_argument("--host", default=os.environ.get("MOTCUA_HOST", "127.0.0.1"))
        p.add_argument("--port", type=int, default=int(os.environ.get("MOTCUA_PORT", "8000")))
        p.add_argument("--workers", type=int, default=int(os.environ.get("MOTCUA_WEB_WORKERS", "2")))
        p.add_argument("--no-deliver", action="store_true", help="không chạy tiến trình đẩy (chạy riêng)")

        p = sub.add_parser("deliver", help="đẩy văn bản đến callback của cơ quan, ký điểm kiểm tra nhật ký")
        p.add_argument("--interval", type=float, default=0.5)
        p.add_argument("--once", action="store_true")

        p = sub.add_parser("register-organ", help="đăng ký hoặc cập nhật một cơ quan trên trục")
        p.add_argument("organ_id")
        p.add_argument("--name", default="")
        p.add_argument("--cert", help="chứng thư số ký gói tin (PEM)")
        p.add_argument("--callback-url", default="")
        p.add_argument("--callback-secret", default="")
        p.add_argument("--no-key", action="store_true", help="không cấp khóa API mới")

        p = sub.add_parser("send", help="gửi một gói edXML, hoặc đóng gói một tệp rồi gửi")
        p.add_argument("file")
        p.add_argument("--to", action="append", default=[], help="mã cơ quan nhận (lặp lại cho nhiều nơi)")
        p.add_argument("--subject", default="")
        p.add_argument("--code-number", default="")
        p.add_argument("--code-notation", default="")
        p.add_argument("--document-id", default="")
        p.add_argument("--document-type", default="Công văn")
        p.add_argument("--place", default="")
        p.add_argument("--business-type", type=int, default=0, choices=[0, 1, 2, 3])
        p.add_argument("--reason", default="")
        p.add_argument("--related", default="", help="DocumentId của văn bản được thu hồi/cập nhật/thay thế")

        p = sub.add_parser("inbox", help="xem hộp thư trên trục")
        p.add_argument("--sync", action="store_true", help="tải về, lưu, xác nhận; cập nhật trạng thái")
        p.add_argument("--json", action="store_true")

        sub.add_parser("sync", help="nhận văn bản và trạng thái mới; xử lý yêu cầu, kết quả liên thông")

        p = sub.add_parser("fetch", help="tải một văn bản trong hộp thư")
        p.add_argument("delivery_id", type=int)
        p.add_argument("-o", "--output")

        p = sub.add_parser("ack", help="xác nhận đã nhận văn bản")
        p.add_argument("delivery_ids", type=int, nargs="+")

        p = sub.add_parser("status", help="trạng thái của một văn bản theo từng nơi nhận")
        p.add_argument("document_id")
        p.add_argument("--json", action="store_true")

        p = sub.add_parser("inspect", help="đọc phần đầu của một gói edXML và kiểm tra chữ ký")
        p.add_argument("file")
        p.add_argument("--cert", action="append", default=[], help="chứng thư tin cậy (PEM)")
        p.add_argument("--json", action="store_true")

        sub.add_parser("verify-log", help="kiểm tra chuỗi băm của nhật ký thông điệp")
        sub.add_parser("checkpoint", help="ký điểm kiểm tra đầu chuỗi nhật ký")

    def handle(self, *args, action, **options):
        handler = getattr(self, "do_" + action.replace("-", "_"))
        try:
            return handler(**options)
        except HubError as exc:
            raise CommandError(f"Trục trả lỗi: {exc.message}") from None
        except edxml.EdxmlError as exc:
            raise CommandError(f"Gói tin không hợp lệ ({exc.field}): {exc.message}") from None

    # ---- hub ----------------------------------------------------------------------------------

    def do_serve(self, *, host, port, workers, no_deliver, **options):
        web = [sys.executable, "-m", "gunicorn", "motcua.wsgi:application", "--bind", f"{host}:{port}",
               "--workers", str(workers), "--access-logfile", "-" if options["verbosity"] > 1 else "/dev/null",
               "--worker-tmp-dir", "/dev/shm" if os.path.isdir("/dev/shm") else "/tmp", "--graceful-timeout", "5",
               "--preload"]
        processes = [subprocess.Popen(web, preexec_fn=_die_with_parent)]
        if not no_deliver:
            processes.append(subprocess.Popen([sys.executable, "-m", "motcua", "exchange", "deliver"],
                                              preexec_fn=_die_with_parent))
        self.stdout.write(f"Trục liên thông: http://{host}:{port}/truc-lien-thong/ (Ctrl+C để dừng)")
        self.stdout.flush()

        def stop(signum, frame):
            for process in processes:
                if process.poll() is None:
                    process.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        with contextlib.suppress(ChildProcessError):
            os.wait()
        stop(None, None)
        for process in processes:
            process.wait()

    def do_deliver(self, *, interval, once, **options):
        last_checkpoint = 0.0
        stopping = []
        signal.signal(signal.SIGTERM, lambda *a: stopping.append(1))
        while not stopping:
            close_old_connections()
            delivered, failed = services.push_due()
            if time.monotonic() - last_checkpoint >= settings.MOTCUA_EXCHANGE_CHECKPOINT_SECONDS:
                hublog.checkpoint()
                last_checkpoint = time.monotonic()
            if options["verbosity"] > 1 and (delivered or failed):
                self.stdout.write(f"đẩy: {delivered} thành công, {failed} lỗi")
            if once:
                break
            if not (delivered or failed):
                time.sleep(interval)

    def do_register_organ(self, *, organ_id, name, cert, callback_url, callback_secret, no_key, **options):
        try:
            organ, key = services.register_organ(organ_id, name=name, cert_pem=Path(cert).read_bytes() if cert else None,
                                                 callback_url=callback_url, callback_secret=callback_secret,
                                                 issue_key=not no_key)
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Đã đăng ký {organ.organ_id} {organ.name}".strip())
        if key:
            self.stdout.write(f"Khóa API (chỉ hiện một lần): {key}")

    def do_verify_log(self, **options):
        checked, problems = hublog.verify()
        for problem in problems:
            self.stderr.write(f"mục {problem.seq}: {problem.message}")
        if problems:
            raise CommandError(f"Nhật ký thông điệp KHÔNG toàn vẹn: {len(problems)} vấn đề trên {checked} mục.")
        self.stdout.write(f"Nhật ký thông điệp toàn vẹn: {checked} mục.")

    def do_checkpoint(self, **options):
        cp = hublog.checkpoint()
        self.stdout.write(f"Đã ký điểm kiểm tra tại mục {cp.seq}." if cp else "Không có mục mới để ký.")

    # ---- client -------------------------------------------------------------------------------

    def do_send(self, *, file, to, subject, code_number, code_notation, document_id, document_type, place,
                business_type, reason, related, **options):
        client = ExchangeClient.from_settings()
        data = Path(file).read_bytes()
        if data.lstrip()[:1] == b"<":
            header = edxml.parse_package(data).header
            named = {r.organ_id for r in header.recipients}
            if to and set(to) != named:
                raise CommandError(f"--to ({', '.join(to)}) khác nơi nhận ghi trong gói ({', '.join(sorted(named))}).")
            package = data
        elif document_id and (earlier := OutgoingDocument.objects.filter(document_id=document_id).first()):
            # Sent (or tried) before: resend the same signed bytes, so the hub answers "duplicate"
            # instead of seeing a re-signed package with the same DocumentId as a conflict.
            package = bytes(earlier.package)
        else:
            if not to:
                raise CommandError("Cần ít nhất một --to MÃ_CƠ_QUAN.")
            today = date.today()
            number = code_number or "01"
            notation = code_notation or "VP"
            doc_id = document_id or f"{client.organ_id},{today:%Y/%m/%d},{number}/{notation},{os.urandom(4).hex()}"
            header = edxml.Header(
                sender=edxml.Organ(client.organ_id), recipients=tuple(edxml.Organ(t) for t in to),
                document_id=doc_id, code_number=number, code_notation=notation, promulgation_place=place,
                promulgation_date=today, document_type=document_type, subject=subject or Path(file).name,
                business_type=business_type, business_reason=reason, related_document_id=related)
            guessed = "application/pdf" if file.lower().endswith(".pdf") else "application/octet-stream"
            package = client.sign_package(edxml.Package(header, (edxml.Attachment(Path(file).name, guessed, data),)))
        outgoing, result = send_document(client, package)
        note = " (đã có trên trục, không gửi lại)" if result.duplicate else ""
        self.stdout.write(f"Đã gửi {result.document_id} đến {', '.join(result.recipients)}{note}")

    def do_sync(self, **options):
        """What an agency's instance runs every minute or so (or after a push): documents and
        statuses in; inter-agency requests become dossiers, replies complete steps; statuses out."""
        from motcua.exchange import interagency

        done = interagency.sync()
        self.stdout.write(f"Đã nhận {done['documents']} văn bản mới, {done['statuses']} trạng thái mới; liên thông: "
                          f"{done['requests']} yêu cầu, {done['replies']} kết quả"
                          + (f", gửi lại {done['resent']} yêu cầu" if done['resent'] else "") + ".")

    def do_inbox(self, *, sync, json: bool = False, **options):
        if sync:
            self.do_sync()
            return
        client = ExchangeClient.from_settings()
        items = client.inbox(limit=1000)["items"]
        if json:
            self.stdout.write(_json_dump(items))
            return
        for item in items:
            self.stdout.write(f"{item['id']:>8}  {item['sender']}  {item['code_number']}/{item['code_notation']}  "
                              f"{item['subject'][:60]}  [{item['document_id']}]")
        self.stdout.write(f"{len(items)} văn bản đang chờ.")

    def do_fetch(self, *, delivery_id, output, **options):
        data = ExchangeClient.from_settings().fetch(delivery_id)
        if output:
            Path(output).write_bytes(data)
            self.stdout.write(f"Đã lưu {len(data):,} byte vào {output}")
        else:
            sys.stdout.buffer.write(data)

    def do_ack(self, *, delivery_ids, **options):
        answer = ExchangeClient.from_settings().ack(*delivery_ids)
        self.stdout.write(f"Đã xác nhận: {answer['acknowledged']}; không có: {answer['unknown']}")

    def do_status(self, *, document_id, json: bool = False, **options):
        answer = ExchangeClient.from_settings().status(document_id)
        if json:
            self.stdout.write(_json_dump(answer))
            return
        for row in answer["recipients"]:
            self.stdout.write(f"{row['recipient']}: {row['state']}")
            for s in row["statuses"]:
                self.stdout.write(f"  {s['at']}  {s['code']} {s['name']}  {s['description']}")

    def do_inspect(self, *, file, cert, json: bool = False, **options):
        data = Path(file).read_bytes()
        certs = [Path(c).read_bytes() for c in cert] or None
        if certs is None and settings.MOTCUA_EXCHANGE_ROLE in {"hub", "both"}:
            # On the hub, the sender's registered certificates are the trust anchor.
            with contextlib.suppress(edxml.EdxmlError):
                from motcua.exchange.models import HubOrgan

                organ = HubOrgan.objects.filter(organ_id=edxml.parse_package(data).header.sender.organ_id).first()
                certs = services.trusted_certificates(organ) if organ else None
        info = edxml.inspect_package(data, trusted_cert_pems=certs)
        if json:
            self.stdout.write(_json_dump(info))
        else:
            for key, value in info.items():
                self.stdout.write(f"{key}: {value}")


def _json_dump(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)
