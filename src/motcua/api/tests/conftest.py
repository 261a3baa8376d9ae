"""Fixtures of the API tests: the real catalogue (root conftest) plus one procedure with every part.

Until the parser structures every record, the imported versions keep channels, components and
legal basis as raw text. `structured_procedure` publishes, inside the test's transaction, an
amended version of the real procedure 1.003494 (giấy thông hành vùng biên giới Việt Nam – Trung
Quốc) whose parts are transcribed from its real record by hand, so the structured fields of the
API and of the CPSV-AP export are tested on real content.
"""

from datetime import date
from decimal import Decimal

import pytest

STRUCTURED_CODE = "1.003494"


@pytest.fixture
def structured_procedure(db):
    from motcua.catalog.choices import ChannelKind, DecisionKind, FeeKind, TimeUnit
    from motcua.catalog.models import Procedure
    from motcua.catalog.records import (
        ChannelRecord,
        ComponentRecord,
        FeeRecord,
        LegalBasisRecord,
        ProcedureRecord,
    )
    from motcua.catalog.services import publish_record

    current = Procedure.objects.get(code=STRUCTURED_CODE).current_version
    record = ProcedureRecord(
        code=STRUCTURED_CODE,
        name=current.name,
        source="test: transcribed from dichvucong.gov.vn",
        decision_number=current.decision.number if current.decision_id else "",
        levels=list(current.levels),
        domain=current.domain.name if current.domain_id else "",
        procedure_type=current.procedure_type,
        target_groups=list(current.target_groups),
        agencies={"implementing": ["Phòng Quản lý xuất nhập cảnh Công an cấp tỉnh"]},
        issuing_agency="Bộ Công an",
        steps_text=current.steps_text,
        channels=[
            ChannelRecord(
                kind=ChannelKind.IN_PERSON,
                time_limit_value=Decimal("3"),
                time_limit_unit=TimeUnit.WORKING_DAY,
                time_limit_text="03 ngày làm việc kể từ khi nhận đủ hồ sơ theo quy định.",
                fees=[FeeRecord(kind=FeeKind.FEE, amount=5000,
                                text="5.000 đồng/giấy thông hành xuất, nhập cảnh vùng biên giới.")],
            )
        ],
        components=[
            ComponentRecord(
                name="Tờ khai đề nghị cấp giấy thông hành biên giới, có xác nhận và dấu giáp lai ảnh của cơ "
                     "quan quản lý trực tiếp",
                originals=1, copies=0, quantity_text="1 bản chính", form_template="Mẫu TK6",
            ),
            ComponentRecord(
                name="02 ảnh 4cmx6cm, mặt nhìn thẳng, đầu để trần, phông nền trắng",
                originals=2, copies=0, quantity_text="2 bản chính",
            ),
        ],
        legal_basis=[
            LegalBasisRecord(number="136/2007/NĐ-CP", title="Về xuất cảnh, nhập cảnh của công dân Việt Nam",
                             issued_on=date(2007, 8, 17), issuer="Chính phủ"),
            LegalBasisRecord(number="43/2011/TT-BCA", title="Thông tư 43/2011/TT-BCA", issuer="Bộ Công an"),
        ],
        requirements=current.requirements,
        results=[{"name": "Giấy thông hành xuất, nhập cảnh vùng biên giới Việt Nam – Trung Quốc",
                  "code": "KQ.G01.00279"}],
    )
    version, created = publish_record(record, change_kind=DecisionKind.AMENDED, valid_from=date(2026, 1, 1))
    assert created
    return version
