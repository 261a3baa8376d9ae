"""The structured form of one procedure record, between a source's parser and the catalogue.

Parsers (catalog/parsing.py) turn each source's raw record into a `ProcedureRecord`; the
importer (catalog/services.py) publishes it as a version. Plain dataclasses, no Django: the
parsers are pure functions with their own property tests.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass
class FeeRecord:
    kind: str = "other"  # FeeKind: charge (phí) / fee (lệ phí) / other
    amount: int | None = None  # VND; None when the source gives no amount (free text only)
    text: str = ""


@dataclass
class ChannelRecord:
    kind: str  # ChannelKind: in_person / online / postal
    time_limit_value: Decimal | None = None
    time_limit_unit: str = ""  # TimeUnit value, "" when not parsed
    time_limit_text: str = ""
    fees: list[FeeRecord] = field(default_factory=list)
    description: str = ""


@dataclass
class ComponentRecord:
    name: str
    originals: int | None = None
    copies: int | None = None
    quantity_text: str = ""
    form_template: str = ""
    required: bool = True
    condition: str = ""
    case: str = ""


@dataclass
class LegalBasisRecord:
    number: str
    title: str = ""
    issued_on: date | None = None
    issuer: str = ""


@dataclass
class StepRecord:
    title: str
    description: str = ""


@dataclass
class ProcedureRecord:
    code: str
    name: str
    source: str
    decision_number: str = ""
    levels: list[str] = field(default_factory=list)  # Level values
    domain: str = ""
    procedure_type: str = ""
    target_groups: list[str] = field(default_factory=list)
    # Agencies by role, as published (text): {"competent": [...], "implementing": [...], ...}
    agencies: dict[str, list[str]] = field(default_factory=dict)
    issuing_agency: str = ""  # the ministry that publishes the procedure (cơ quan ban hành)
    steps_text: str = ""
    steps: list[StepRecord] = field(default_factory=list)
    channels: list[ChannelRecord] = field(default_factory=list)
    components: list[ComponentRecord] = field(default_factory=list)
    legal_basis: list[LegalBasisRecord] = field(default_factory=list)
    requirements: str = ""
    results: list[dict] = field(default_factory=list)  # [{"name": ..., "code": ...}]
    reception_address: str = ""
    related_procedures: str = ""
    online_service: str = "none"  # OnlineService
    # Raw text of each field that could not be parsed, keyed by the field name above.
    unparsed: dict[str, str] = field(default_factory=dict)
    raw: dict = field(default_factory=dict)


class RecordError(ValueError):
    """A source record that cannot become a procedure (no code, no name, malformed JSON)."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code or '?'}: {message}")
        self.code = code
        self.message = message
