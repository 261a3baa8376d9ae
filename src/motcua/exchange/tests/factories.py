"""Signed edXML packages and registered organs for the exchange tests."""

import functools
import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime

from motcua.exchange import edxml, hublog

ORGAN_A = "000.00.01.H22"
ORGAN_B = "000.00.00.G10"
ORGAN_C = "000.01.01.H08"
_counter = itertools.count(1)


@functools.cache
def keys(organ_id: str) -> tuple[bytes, bytes]:
    """One key and self-signed certificate per organ code for the whole test session."""
    return hublog.make_self_signed(f"Cơ quan {organ_id}")


def header(sender: str, recipients: list[str], *, document_id: str | None = None, subject: str = "Về việc thử nghiệm trục",
           **extra) -> edxml.Header:
    n = next(_counter)
    return edxml.Header(
        sender=edxml.Organ(sender, name=f"Cơ quan {sender}"),
        recipients=tuple(edxml.Organ(r, name=f"Cơ quan {r}") for r in recipients),
        document_id=document_id or f"{sender},2026/11/26,{n:05d}/UBND-VP", code_number=f"{n:02d}",
        code_notation="UBND-VP", promulgation_place="Hà Nội", promulgation_date=date(2026, 11, 26),
        document_type="Công văn", subject=subject, signer_name="Nguyễn Văn An", signer_position="Chánh Văn phòng",
        **extra)


def package(sender: str, recipients: list[str], *, signer: str | None = None, attachment: bytes = b"%PDF-1.4 thu",
            **kwargs) -> bytes:
    key_pem, cert_pem = keys(signer or sender)
    pkg = edxml.Package(header(sender, recipients, **kwargs),
                        (edxml.Attachment("cong-van.pdf", "application/pdf", attachment, "Công văn"),))
    return edxml.build_package(pkg, key_pem=key_pem, cert_pem=cert_pem)


def status(reporter: str, other: str, document_id: str, code: str, description: str = "", *,
           signer: str | None = None) -> bytes:
    key_pem, cert_pem = keys(signer or reporter)
    message = edxml.StatusMessage(sender=edxml.Organ(reporter), recipient=edxml.Organ(other), document_id=document_id,
                                  status_code=code, description=description,
                                  timestamp=datetime(2026, 11, 26, 9, 30, tzinfo=UTC), staff_name="Trần Thị Bình",
                                  department="Văn phòng")
    return edxml.build_status(message, key_pem=key_pem, cert_pem=cert_pem)


@dataclass
class Registered:
    organ_id: str
    key: str

    @property
    def auth(self) -> dict:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.key}"}


def register(organ_id: str, **kwargs) -> Registered:
    from motcua.exchange import services

    _organ, key = services.register_organ(organ_id, name=f"Cơ quan {organ_id}", cert_pem=keys(organ_id)[1], **kwargs)
    return Registered(organ_id, key)
