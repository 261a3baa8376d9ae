"""The standard cost model of Circular 02/2017/TT-VPCP Art. 27, as pure functions (vn-domain.md §6.2–6.4).

    cost of one procedure  = cost of the work needed to obtain the result (time, copies, travel, other)
                             + charges and fees
    annual cost            = cost of one procedure × occurrences per subject per year × subjects per year
    saving                 = annual cost before − annual cost after
    reduction rate         = saving ÷ annual cost before × 100 %

Money is in whole đồng. Only the time cost has fractions (hours × an hourly income that is a
monthly figure ÷ 22 ÷ 8); it is rounded half up to the đồng once, and so is the annual cost.
Opportunity cost is not counted (Art. 27(2)).
"""

from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

ONE = Decimal(1)
HUNDRED = Decimal(100)


def round_dong(value: Decimal) -> int:
    return int(Decimal(value).quantize(ONE, rounding=ROUND_HALF_UP))


def hourly_income(monthly_income: int, working_days_per_month: int, hours_per_day: int) -> Decimal:
    """Daily income = monthly ÷ working days (22); hourly = daily ÷ hours per day (8) (§6.3)."""
    if working_days_per_month <= 0 or hours_per_day <= 0:
        raise ValueError("working days and hours per day must be positive")
    return Decimal(monthly_income) / Decimal(working_days_per_month) / Decimal(hours_per_day)


@dataclass(frozen=True)
class Inputs:
    """One row of the Art. 27 worksheet for one procedure and one channel."""

    info_hours: Decimal = Decimal(0)      # tìm hiểu thông tin
    prepare_hours: Decimal = Decimal(0)   # chuẩn bị hồ sơ
    travel_hours: Decimal = Decimal(0)    # nộp hồ sơ, nhận kết quả: đi lại, chờ đợi tại nơi tiếp nhận
    wait_hours: Decimal = Decimal(0)      # chờ, bổ sung hồ sơ
    copies: int = 0                       # bản sao (in ấn, phô tô, chứng thực)
    trips: int = 0                        # lượt đi lại
    fees: int = 0                         # phí, lệ phí
    other_costs: int = 0                  # tư vấn, dịch vụ, bưu chính, dịch thuật
    frequency: Decimal = ONE              # số lần thực hiện / đối tượng / năm
    subjects: int = 0                     # số đối tượng tuân thủ / năm

    @property
    def hours(self) -> Decimal:
        return Decimal(self.info_hours) + Decimal(self.prepare_hours) + Decimal(self.travel_hours) + Decimal(
            self.wait_hours)

    def but(self, **changes) -> "Inputs":
        return replace(self, **changes)


@dataclass(frozen=True)
class Prices:
    hourly_income: Decimal
    cost_per_copy: int
    travel_cost_per_trip: int


@dataclass(frozen=True)
class Cost:
    time_cost: int
    copies_cost: int
    travel_cost: int
    fees: int
    other_costs: int
    per_occurrence: int
    annual: int


def cost(inputs: Inputs, prices: Prices) -> Cost:
    """Art. 27(3): the cost of one occurrence and of a year."""
    for name in ("info_hours", "prepare_hours", "travel_hours", "wait_hours", "copies", "trips", "fees",
                 "other_costs", "frequency", "subjects"):
        if getattr(inputs, name) < 0:
            raise ValueError(f"{name} must not be negative")
    time_cost = round_dong(inputs.hours * prices.hourly_income)
    copies_cost = inputs.copies * prices.cost_per_copy
    travel_cost = inputs.trips * prices.travel_cost_per_trip
    per_occurrence = time_cost + copies_cost + travel_cost + inputs.fees + inputs.other_costs
    annual = round_dong(Decimal(per_occurrence) * Decimal(inputs.frequency) * inputs.subjects)
    return Cost(time_cost, copies_cost, travel_cost, inputs.fees, inputs.other_costs, per_occurrence, annual)


def saving(before: int, after: int) -> int:
    return before - after


def reduction_rate(before: int, after: int) -> Decimal | None:
    """Saving ÷ cost before × 100, two decimals half up; None when there was no cost to cut."""
    if before == 0:
        return None
    return (Decimal(before - after) * HUNDRED / Decimal(before)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
