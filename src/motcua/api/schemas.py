"""Response shapes of the open API. Field names are English; values keep the catalogue's codes.

Enumerated values (levels, statuses, channel kinds, time units) are the stable codes of
`catalog.choices` and `units.choices`; their Vietnamese labels are listed in docs/api.md and in
each field's description, so a client can show them without a second request.
"""

from datetime import date

from ninja import Field, Schema


class ErrorItem(Schema):
    loc: list[str | int] = Field(description="Vị trí lỗi / where: [\"query\", \"limit\"], [\"path\", \"code\"]")
    msg: str = Field(description="Thông báo bằng tiếng Việt / message in Vietnamese")
    type: str = Field(description="Loại lỗi / machine-readable type: not_found, int_parsing, ...")


class ErrorOut(Schema):
    detail: list[ErrorItem]


# --- catalogue ---------------------------------------------------------------------------------


class DomainOut(Schema):
    id: int
    name: str
    slug: str


class FacetValueOut(Schema):
    value: str = Field(description="Giá trị để lọc / the filter value to send back")
    label: str
    count: int


class ProcedureItemOut(Schema):
    code: str
    name: str
    levels: list[str]
    domain: DomainOut | None
    online_service: str
    status: str
    url: str = Field(description="Địa chỉ API của thủ tục / this procedure's API URL")


class ProcedurePageOut(Schema):
    items: list[ProcedureItemOut]
    total: int = Field(description="Tổng số kết quả / number of matching procedures")
    next: str | None = Field(
        description="Con trỏ trang sau, gửi lại bằng tham số `cursor`; null ở trang cuối / "
        "opaque cursor of the next page, null on the last page"
    )
    facets: dict[str, list[FacetValueOut]] = Field(
        description="Đếm theo cấp, lĩnh vực, cơ quan, mức DVCTT / counts by level, domain, agency, online_service"
    )


class AgencyRefOut(Schema):
    id: int
    name: str
    organ_code: str | None
    slug: str


class VersionAgencyOut(Schema):
    name: str = Field(description="Tên như nguồn công bố / the name as published")
    agency: AgencyRefOut | None = Field(description="Cơ quan đã nhận diện, nếu có / the matched agency")


class AgenciesByRoleOut(Schema):
    competent: list[VersionAgencyOut] = Field(description="Cơ quan có thẩm quyền")
    implementing: list[VersionAgencyOut] = Field(description="Cơ quan thực hiện")
    coordinating: list[VersionAgencyOut] = Field(description="Cơ quan phối hợp")
    authorized: list[VersionAgencyOut] = Field(description="Cơ quan được ủy quyền")
    issuing: list[VersionAgencyOut] = Field(description="Cơ quan ban hành")


class StepOut(Schema):
    order: int
    title: str
    description: str


class FeeOut(Schema):
    kind: str = Field(description="charge = Phí; fee = Lệ phí; other = Khoản thu")
    amount: int | None = Field(description="Mức thu (đồng); null khi nguồn không ghi số tiền / VND, null if none")
    currency: str = "VND"
    text: str


class ChannelOut(Schema):
    order: int
    kind: str = Field(description="in_person = Trực tiếp; online = Trực tuyến; postal = Dịch vụ bưu chính")
    time_limit_value: float | None
    time_limit_unit: str = Field(
        description="working_day, day, hour, working_hour, month; rỗng khi chưa phân tích được / empty if unparsed"
    )
    time_limit_text: str
    description: str
    fees: list[FeeOut]


class ComponentOut(Schema):
    order: int
    case: str = Field(description="Trường hợp áp dụng / the case this paper belongs to")
    name: str
    originals: int | None = Field(description="Số bản chính / number of originals")
    copies: int | None = Field(description="Số bản sao / number of copies")
    quantity_text: str
    form_template: str = Field(description="Mẫu đơn, tờ khai / the prescribed form")
    required: bool
    condition: str


class LegalBasisOut(Schema):
    order: int
    number: str
    title: str
    issued_on: date | None
    effective_on: date | None
    issuer: str


class DecisionOut(Schema):
    number: str
    signed_on: date | None
    effective_on: date | None
    issuer: str
    title: str


class ResultOut(Schema):
    name: str
    code: str = ""


class VersionSummaryOut(Schema):
    number: int
    decision_number: str | None
    change_kind: str = Field(description="new, amended, replaced, abolished")
    status: str = Field(description="published, superseded, abolished")
    valid_from: date | None
    valid_until: date | None
    url: str


class ProcedureRefOut(Schema):
    code: str
    url: str


class VersionOut(Schema):
    """Everything one version of a procedure says, structured where the parser could."""

    code: str
    number: int
    name: str
    status: str = Field(description="published = Đang công khai; superseded = Đã được sửa đổi, thay thế; abolished = Bãi bỏ")
    change_kind: str
    valid_from: date | None
    valid_until: date | None
    decision: DecisionOut | None
    levels: list[str] = Field(description="ministry, province, district, commune, other")
    domain: DomainOut | None
    procedure_type: str
    online_service: str = Field(description="full = toàn trình; partial = một phần; none = chỉ cung cấp thông tin")
    target_groups: list[str]
    requirements: str
    results: list[ResultOut]
    reception_address: str
    related_procedures: str
    steps: list[StepOut]
    steps_text: str
    channels: list[ChannelOut]
    components: list[ComponentOut]
    legal_basis: list[LegalBasisOut]
    agencies: AgenciesByRoleOut
    unparsed: dict[str, str] = Field(
        description="Nguyên văn các mục chưa phân tích được thành cấu trúc / raw text of the parts "
        "the parser could not structure, keyed by part (channels, components, legal_basis, ...)"
    )
    source: str
    url: str
    cpsv_ap_url: str


class ProcedureOut(VersionOut):
    template: ProcedureRefOut | None = Field(description="Thủ tục gốc của bản địa phương / the central template")
    replaced_by: ProcedureRefOut | None
    versions: list[VersionSummaryOut] = Field(description="Mọi phiên bản, mới nhất trước / newest first")


# --- units and agencies ------------------------------------------------------------------------


class UnitRefOut(Schema):
    edition: str
    level: str
    code: str
    name: str


class UnitOut(Schema):
    edition: str = Field(description="2004 = danh mục đến 30/06/2025; 2025 = danh mục từ 01/07/2025")
    level: str = Field(description="province, district, commune")
    code: str
    name: str
    unit_type: str
    parent: UnitRefOut | None
    valid_from: date | None
    valid_to: date | None
    legal_basis: str
    url: str


class UnitPageOut(Schema):
    items: list[UnitOut]
    total: int
    next: str | None


class SuccessionOut(Schema):
    unit: UnitOut
    kind: str = Field(description="full = Nhập toàn bộ; partial = Nhập một phần; unchanged = Giữ nguyên")


class AgencyOut(Schema):
    id: int
    organ_code: str | None = Field(description="Mã định danh cơ quan XXX.YY.ZZ.Lnn")
    name: str
    slug: str
    level: str
    parent: AgencyRefOut | None
    successor: AgencyRefOut | None = Field(
        description="Cơ quan kế thừa khi cơ quan này đã giải thể, sáp nhập / the body that took over its duties"
    )
    unit: UnitRefOut | None
    valid_from: date | None
    valid_to: date | None
    url: str


class AgencyPageOut(Schema):
    items: list[AgencyOut]
    total: int
    next: str | None
