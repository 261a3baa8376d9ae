"""Reads of the index: scorecards, trends and headline figures for a scope and a period.

Everything here sums the small aggregate tables (models.py) and the catalogue facts; the number of
queries does not depend on the number of dossiers or agencies in scope. The contract of these
functions and dataclasses is in docs/indicators.md and is kept stable for the dashboards.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from urllib.parse import urlencode

from django.db import models
from django.db.models import Case, Count, IntegerField, Max, Q, Sum, Value, When
from django.db.models.fields.related_lookups import RelatedIn
from django.db.models.lookups import In
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.choices import AgencyRole
from motcua.indicators import formulas
from motcua.indicators.models import (
    COUNTERS,
    FEEDBACK_COUNTERS,
    CatalogFact,
    DailyAgencyFact,
    DailyFeedbackFact,
    DailyLateFact,
    DossierFact,
    IndicatorDefinition,
    MonthlyProcedureSet,
    RankingBand,
    bits,
)
from motcua.indicators.periods import Period, parse_period, previous_periods
from motcua.indicators.scopes import SCOPE_KINDS, UNIT_LEVEL_OF_KIND, AgencyMap, Scope, list_scopes, resolve
from motcua.indicators.services import feedback_available, satisfaction_available
from motcua.units.choices import AgencyLevel
from motcua.units.selectors import edition_at

__all__ = [
    "SCOPE_KINDS", "Band", "GroupResult", "Headline", "IndicatorResult", "Period", "Scope", "Scorecard",
    "TrendPoint", "drilldown_url", "headline", "parse_period", "parse_scope", "scopes", "scorecard",
    "scorecard_and_trend", "trend",
]

GROUP_LABELS = {
    1: _("Công khai, minh bạch"),
    2: _("Tiến độ, kết quả giải quyết"),
    3: _("Cung cấp dịch vụ trực tuyến"),
    4: _("Số hóa hồ sơ"),
    5: _("Mức độ hài lòng"),
}


@dataclass(frozen=True)
class IndicatorResult:
    id: str
    group: int
    label: str
    numerator: int | None
    denominator: int | None
    rate: Decimal | None
    threshold: Decimal | None
    max_points: Decimal
    points: Decimal
    scored: bool
    confirmed: bool
    legal_source: str
    available: bool
    note: str
    numerator_url: str | None
    denominator_url: str | None


@dataclass(frozen=True)
class GroupResult:
    number: int
    label: str
    max_points: Decimal
    points: Decimal
    indicators: list[IndicatorResult]


@dataclass(frozen=True)
class Band:
    code: str
    label: str
    min_total: Decimal


@dataclass(frozen=True)
class Scorecard:
    scope: Scope
    period: Period
    groups: list[GroupResult]
    total: Decimal
    max_total: Decimal
    band: Band
    received: int
    computed_at: datetime | None

    def indicator(self, id: str) -> IndicatorResult:
        for group in self.groups:
            for ind in group.indicators:
                if ind.id == id:
                    return ind
        raise KeyError(id)


@dataclass(frozen=True)
class Headline:
    scope: Scope
    period: Period
    received: int
    on_time_rate: Decimal | None
    online_share: Decimal | None
    satisfaction_rate: Decimal | None
    feedback_on_time_rate: Decimal | None
    online_service_share: Decimal | None


@dataclass(frozen=True)
class TrendPoint:
    period: Period
    total: Decimal
    band: Band
    group_points: dict[int, Decimal]
    headline: Headline


# ----------------------------------------------------------------------------- configuration

def definitions_at(day: date) -> dict[str, IndicatorDefinition]:
    """The definition of each indicator in force on `day` (the latest that started on or before it)."""
    out: dict[str, IndicatorDefinition] = {}
    for d in IndicatorDefinition.objects.filter(effective_from__lte=day).order_by("code", "-effective_from"):
        out.setdefault(d.code, d)
    return out


def bands_at(day: date) -> list[formulas.BandRule]:
    rows = list(RankingBand.objects.filter(effective_from__lte=day).order_by("-effective_from", "-min_total"))
    if not rows:
        return [formulas.BandRule("weak", _("Yếu"), Decimal(0))]
    latest = rows[0].effective_from
    return [formulas.BandRule(b.code, b.label, b.min_total) for b in rows if b.effective_from == latest]


# ----------------------------------------------------------------------------- drill-down sets

def late_cutoff(period: Period, today: date | None = None) -> date:
    """Dossiers still open are measured at the period's end, or yesterday for a running period."""
    today = today or timezone.localdate()
    return min(period.end, today - timedelta(days=1))


def fact_sets(cutoff: date) -> dict[str, Q]:
    """The dossier sets behind each figure, as filters on DossierFact (used by the drill-down)."""
    on_time = Q(late_on__isnull=True) | Q(late_on__gt=cutoff)
    finished_paper = Q(finished=True, paper_result=True)
    return {
        "received": Q(),
        "on_time": on_time,
        "late": ~on_time,
        "finished": Q(finished=True),
        "online": Q(online=True),
        "online_qualified": Q(online=True) & (~finished_paper | Q(eresult=True)),
        "fee_bearing": Q(fee_bearing=True),
        "paid_online": Q(paid_online=True),
        "paper_finished": finished_paper,
        "eresult": finished_paper & Q(eresult=True),
        "digitised": Q(digitised=True),
        "vneid": Q(vneid=True),
        "complained": Q(disliked=True) | Q(feedback=True),
    }


SET_LABELS = {
    "received": _("Hồ sơ tiếp nhận trong kỳ"), "on_time": _("Hồ sơ đúng hạn, trước hạn hoặc còn trong hạn"),
    "late": _("Hồ sơ trễ hạn"), "finished": _("Hồ sơ đã giải quyết xong"), "online": _("Hồ sơ nộp trực tuyến"),
    "online_qualified": _("Hồ sơ trực tuyến (có kết quả điện tử khi thủ tục có kết quả giấy)"),
    "fee_bearing": _("Hồ sơ có phí, lệ phí"), "paid_online": _("Hồ sơ thanh toán trực tuyến"),
    "paper_finished": _("Hồ sơ đã có kết quả, thủ tục có kết quả giấy"),
    "eresult": _("Hồ sơ có kết quả điện tử"), "digitised": _("Hồ sơ được số hóa đầy đủ"),
    "vneid": _("Hồ sơ của người nộp xác thực bằng VNeID"),
    "complained": _("Hồ sơ bị đánh giá không hài lòng hoặc có phản ánh, kiến nghị"),
}
DRILL = {
    "2.1": ("on_time", "received"), "2.2": ("finished", "finished"), "3.3": ("online_qualified", "received"),
    "3.6": ("paid_online", "fee_bearing"), "4.1": ("eresult", "paper_finished"), "4.2": ("digitised", "received"),
    "4.5": ("vneid", "received"), "5.4": ("complained", "received"),
}


def drilldown_url(scope: Scope, period: Period, indicator: str, part: str, units_as: str | None = None) -> str | None:
    pair = DRILL.get(indicator)
    if not pair:
        return None
    name = pair[0] if part == "numerator" else pair[1]
    query = urlencode({"scope_kind": scope.kind, "scope_code": _scope_param(scope), "period": period.key,
                       "units_as": units_as or scope.units_as, "set": name})
    return f"{reverse('indicators:dossiers')}?{query}"


def _scope_param(scope: Scope) -> str:
    return f"{scope.edition}:{scope.code}" if scope.edition else scope.code


def dossier_facts(scope_kind: str, scope_code: str, period, set_name: str, *, units_as: str = "today"):
    """(scope, period, the DossierFact queryset of a drill-down set, agency ids or None)."""
    from motcua.indicators.errors import UnknownScopeError

    period = parse_period(period)
    amap = AgencyMap()
    scope, ids = resolve(scope_kind, scope_code, units_as=units_as, period=period, amap=amap)
    sets = fact_sets(late_cutoff(period))
    if set_name not in sets:
        raise UnknownScopeError("set", _("Tập hồ sơ “%(name)s” không hợp lệ.") % {"name": set_name})
    qs = DossierFact.objects.filter(sets[set_name], day__gte=period.start, day__lte=period.end)
    if ids is not None:
        qs = qs.filter(agency_id__in=ids)
    return scope, period, qs, ids


# ----------------------------------------------------------------------------- the scorecard

def parse_scope(kind: str, code: str, *, units_as: str = "today", period: Period | None = None) -> Scope:
    return resolve(kind, code, units_as=units_as, period=period, amap=AgencyMap())[0]


class _InArray(In):
    """`field IN (…)` that PostgreSQL receives as `field = ANY(%s)` with one array parameter.

    A province covers a thousand agencies or more, and a scorecard names them in about fifteen
    places: as separate parameters, quoting and sending them cost more than the queries themselves
    (docs/benchmarks.md). Other databases get the plain IN list."""

    lookup_name = "in_array"

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s::bigint[])", (*lhs_params, sorted(int(v) for v in self.rhs))


class _RelatedInArray(RelatedIn):
    lookup_name = "in_array"
    as_postgresql = _InArray.as_postgresql


models.BigIntegerField.register_lookup(_InArray)
models.ForeignObject.register_lookup(_RelatedInArray)


def _in(ids):
    return {} if ids is None else {"agency_id__in_array": ids}


def _catalog_competence(ids: set[int] | None, amap: AgencyMap) -> Q:
    """Procedures in the competence of the scope's agencies (vn-domain §4.3: 'TTHC in the body's
    competence'): linked to one of them as competent or implementing body, localised for one of
    them, published by one of them, or a national procedure of a level at which the scope has a
    People's Committee."""
    if ids is None:
        return Q()
    q = Q(owner_agency_id__in_array=ids) | Q(issuing_agency_id__in_array=ids) | Q(
        version__agencies__agency_id__in_array=ids,
        version__agencies__role__in=[AgencyRole.COMPETENT, AgencyRole.IMPLEMENTING])
    levels = {amap.agencies[pk].level for pk in ids if pk in amap.agencies}
    for level, flag in ((AgencyLevel.COMMUNE, "level_commune"), (AgencyLevel.DISTRICT, "level_district"),
                        (AgencyLevel.PROVINCE, "level_province")):
        if level in levels:
            q |= Q(**{flag: True, "owner_agency_id__isnull": True})
    return q


def _bucket(field: str, periods: list[Period], extra: list[Q] | None = None) -> Case:
    """The index of the period a row's `field` falls in (NULL outside them): the GROUP BY key that
    lets one query answer every period of a trend. `periods` must not overlap."""
    whens = []
    for i, p in enumerate(periods):
        cond = Q(**{f"{field}__gte": p.start, f"{field}__lte": p.end})
        if extra is not None:
            cond &= extra[i]
        whens.append(When(cond, then=Value(i)))
    return Case(*whens, default=Value(None), output_field=IntegerField())


def _grouped(qs, bucket: Case, **aggregates) -> dict[int, dict]:
    """{period index: aggregates} of a queryset grouped by `bucket`; rows outside every period are dropped."""
    rows = qs.annotate(bucket=bucket).values("bucket").annotate(**aggregates).order_by()
    return {r.pop("bucket"): r for r in rows if r["bucket"] is not None}


def _figures_many(periods: list[Period], ids: set[int] | None, amap: AgencyMap) -> list[dict]:
    """Every count the formulas need for each of `periods` (which must not overlap), in a fixed
    number of queries whatever the number of periods: one per table, grouped by period."""
    lo, hi = min(p.start for p in periods), max(p.end for p in periods)
    filt = {"day__gte": lo, "day__lte": hi, **_in(ids)}
    daily = _grouped(DailyAgencyFact.objects.filter(**filt), _bucket("day", periods),
                     **{c: Sum(c) for c in COUNTERS}, computed_at=Max("updated_at"))
    # Dossiers still open count as late from their late day up to the period's own cut-off.
    cutoffs = [late_cutoff(p) for p in periods]
    late = _grouped(DailyLateFact.objects.filter(**filt, late_on__lte=max(cutoffs)),
                    _bucket("day", periods, [Q(late_on__lte=c) for c in cutoffs]), n=Sum("n"))
    fb = _grouped(DailyFeedbackFact.objects.filter(**filt), _bucket("day", periods),
                  **{c: Sum(c) for c in FEEDBACK_COUNTERS})

    cat, online, fee = _competence(ids, amap)
    online_used, fee_paid = _procedures_used(periods, ids, online, fee)
    decisions = CatalogFact.objects.filter(decided_on__gte=lo, decided_on__lte=hi)
    if ids is not None:
        decisions = decisions.filter(issuing_agency_id__in_array=ids)
    dec = _grouped(decisions, _bucket("decided_on", periods),
                   decided=Count("pk", filter=Q(decision_on_time__isnull=False)),
                   decided_on_time=Count("pk", filter=Q(decision_on_time=True)),
                   publicised=Count("pk", filter=Q(publicised_on_time__isnull=False)),
                   publicised_on_time=Count("pk", filter=Q(publicised_on_time=True)))

    out = []
    for i in range(len(periods)):
        row = daily.get(i, {})
        figures = {c: row.get(c) or 0 for c in COUNTERS}
        figures["computed_at"] = row.get("computed_at")
        figures["late"] = late.get(i, {}).get("n") or 0
        out.append({
            **figures, "feedback": {c: fb.get(i, {}).get(c) or 0 for c in FEEDBACK_COUNTERS}, "catalog": cat,
            "online_services_used": online_used[i], "online_services": cat["online"],
            "fee_procedures_paid": fee_paid[i], "fee_procedures": cat["fee"],
            "decisions": {k: dec.get(i, {}).get(k) or 0
                          for k in ("decided", "decided_on_time", "publicised", "publicised_on_time")},
        })
    return out


def _competence(ids: set[int] | None, amap: AgencyMap) -> tuple[dict, set[int], set[int]]:
    """The catalogue counts of the scope's competence, and its online and fee-bearing procedures.

    The catalogue's current state does not depend on the period: one query for all periods, whose
    procedure lists then feed 3.2 and 3.4."""
    procedures, complete, online, fee = set(), set(), set(), set()
    for pid, is_complete, is_online, is_fee in CatalogFact.objects.filter(
            _catalog_competence(ids, amap), current=True).values_list(
            "procedure_id", "complete", "online", "fee_bearing").distinct().order_by():
        procedures.add(pid)
        for flag, bag in ((is_complete, complete), (is_online, online), (is_fee, fee)):
            if flag:
                bag.add(pid)
    cat = {"procedures": len(procedures), "complete": len(complete), "online": len(online), "fee": len(fee)}
    return cat, online, fee


def _procedures_used(periods: list[Period], ids: set[int] | None, online: set[int],
                     fee: set[int]) -> tuple[list[int], list[int]]:
    """3.2 and 3.4 for each period: how many of the `online` procedures had an online dossier, and of
    the `fee` procedures one paid online, at the scope's agencies, by ORing their agency-month sets."""
    online_mask, fee_mask = _mask(online), _mask(fee)
    used, paid = [0] * len(periods), [0] * len(periods)
    if not online_mask and not fee_mask:
        return used, paid
    lo, hi = min(p.start for p in periods), max(p.end for p in periods)
    for month, on, pd in MonthlyProcedureSet.objects.filter(month__gte=lo, month__lte=hi, **_in(ids)).values_list(
            "month", "online", "paid_online"):
        on, pd = bits(on) & online_mask, bits(pd) & fee_mask
        for i, p in enumerate(periods):
            if p.start <= month <= p.end:
                used[i] |= on
                paid[i] |= pd
    return [n.bit_count() for n in used], [n.bit_count() for n in paid]


def _mask(procedure_ids) -> int:
    mask = 0
    for pid in procedure_ids:
        mask |= 1 << pid
    return mask


def _figures(period: Period, ids: set[int] | None, amap: AgencyMap) -> dict:
    """Every count the formulas need for one period, in a fixed number of queries.

    The plain per-period reading, kept for scorecard() and headline(): _figures_many() must give
    the same figures for each period of a trend (test_trend_equals_the_scorecard_of_each_period)."""
    filt = {"day__gte": period.start, "day__lte": period.end, **_in(ids)}
    daily = DailyAgencyFact.objects.filter(**filt).aggregate(
        **{c: Sum(c, default=0) for c in COUNTERS}, computed_at=Max("updated_at"))
    cutoff = late_cutoff(period)
    daily["late"] = DailyLateFact.objects.filter(**filt, late_on__lte=cutoff).aggregate(n=Sum("n", default=0))["n"]
    fb = DailyFeedbackFact.objects.filter(**filt).aggregate(**{c: Sum(c, default=0) for c in FEEDBACK_COUNTERS})

    cat, online, fee = _competence(ids, amap)
    (online_used,), (fee_paid,) = _procedures_used([period], ids, online, fee)
    decisions = CatalogFact.objects.filter(decided_on__gte=period.start, decided_on__lte=period.end)
    if ids is not None:
        decisions = decisions.filter(issuing_agency_id__in_array=ids)
    dec = decisions.aggregate(
        decided=Count("pk", filter=Q(decision_on_time__isnull=False)),
        decided_on_time=Count("pk", filter=Q(decision_on_time=True)),
        publicised=Count("pk", filter=Q(publicised_on_time__isnull=False)),
        publicised_on_time=Count("pk", filter=Q(publicised_on_time=True)),
    )
    return {**daily, "feedback": fb, "catalog": cat, "online_services_used": online_used,
            "online_services": cat["online"], "fee_procedures_paid": fee_paid,
            "fee_procedures": cat["fee"], "decisions": dec}


NO_SYNC = _("motcua chưa đồng bộ hồ sơ lên Cổng Dịch vụ công quốc gia: chưa có dữ liệu.")
NO_REUSE = _("motcua chưa ghi nhận thành phần hồ sơ tái sử dụng từ dữ liệu số hóa: chưa có dữ liệu.")
NO_STORE = _("motcua chưa kết nối kho dữ liệu cá nhân trên Cổng DVCQG: chưa có dữ liệu.")
NO_FEEDBACK = _("Phân hệ phản ánh, kiến nghị chưa được cài đặt: chưa có dữ liệu.")


def _raw(f: dict) -> dict[str, tuple]:
    """indicator id → (numerator, denominator, exact rate, available, note)."""
    received, late = f["received"], f["late"]
    fb, cat, dec = f["feedback"], f["catalog"], f["decisions"]
    has_fb = feedback_available()
    out: dict[str, tuple] = {
        "1.1": (dec["decided_on_time"], dec["decided"], None, True, ""),
        "1.2": (dec["publicised_on_time"], dec["publicised"], None, True, ""),
        "1.3": (cat["complete"], cat["procedures"], None, True, ""),
        "1.4": (None, received, None, False, NO_SYNC),
        "2.1": (formulas.on_time_count(received, late), received, None, True, ""),
        "3.1": (cat["online"], cat["procedures"], None, True, ""),
        "3.2": (f["online_services_used"], f["online_services"], None, True, ""),
        "3.3": (f["online_qualified"], received, formulas.online_dossier_rate(f["online_qualified"], received), True,
                _("Chưa nhân với tỷ lệ đồng bộ (1.4) vì chưa có dữ liệu đồng bộ.")),
        "3.4": (f["fee_procedures_paid"], f["fee_procedures"], None, True, ""),
        "3.6": (f["paid_online"], f["fee_bearing"], None, True, ""),
        "4.1": (f["eresult"], f["paper_finished"], None, True, ""),
        "4.2": (f["digitised"], received, None, True, ""),
        "4.3": (None, received, None, False, NO_REUSE),
        "4.4": (None, received, None, False, NO_STORE),
        "4.5": (f["vneid"], received, None, True, ""),
        "5.1": (fb["regulation"], fb["cases"], None, has_fb, "" if has_fb else NO_FEEDBACK),
        "5.2": (fb["on_time"], fb["cases"], None, has_fb, "" if has_fb else NO_FEEDBACK),
        "5.3": (max(fb["cases"] - fb["dissatisfied"], 0), fb["cases"],
                formulas.feedback_satisfaction(fb["cases"], fb["dissatisfied"]), has_fb,
                "" if has_fb else NO_FEEDBACK),
        "5.4": (f["complained"], received, formulas.satisfaction_in_dossiers(received, late, f["complained"]), True,
                _("Tử số là số hồ sơ bị đánh giá không hài lòng hoặc có PAKN; tỷ lệ = 100% − tỷ lệ trễ hạn − "
                  "tỷ lệ hồ sơ không hài lòng hoặc có PAKN.")
                + ("" if satisfaction_available() else " " + _("Chưa có phân hệ đánh giá hài lòng."))),
    }
    hours, finished = f["processing_hours"], f["finished"]
    avg_days = None if not finished else Fraction(hours, finished * 24)
    out["2.2"] = (round(hours / 24) if hours else 0, finished, avg_days, True,
                  _("Thời gian giải quyết trung bình (ngày theo lịch, trừ thời gian chờ bổ sung); chỉ để theo dõi."))
    return out


def _build(scope: Scope, period: Period, figures: dict, defs: dict, bands, *, with_urls: bool = True) -> Scorecard:
    raw = _raw(figures)
    groups: dict[int, list[IndicatorResult]] = {n: [] for n in GROUP_LABELS}
    for code in sorted(defs, key=lambda c: tuple(int(p) for p in c.split("."))):
        d = defs[code]
        numerator, denominator, exact, available, note = raw.get(code, (None, None, None, False, ""))
        if exact is None and available and numerator is not None:
            exact = formulas.ratio(numerator, denominator)
        if code == "2.2":
            shown = None if exact is None else formulas.round2(exact)
            pts = formulas.round2(0)
        else:
            shown = None if exact is None else formulas.round2(exact)
            pts = formulas.points(exact, d.max_points if d.scored else Decimal(0), d.threshold) if available \
                else formulas.round2(0)
        groups.setdefault(d.group, []).append(IndicatorResult(
            id=code, group=d.group, label=d.label, numerator=numerator if available else None,
            denominator=denominator if available else None, rate=shown if available else None,
            threshold=d.threshold, max_points=d.max_points if d.scored else Decimal("0.00"), points=pts,
            scored=d.scored, confirmed=d.confirmed, legal_source=d.legal_source, available=available, note=note,
            numerator_url=drilldown_url(scope, period, code, "numerator") if with_urls and available else None,
            denominator_url=drilldown_url(scope, period, code, "denominator") if with_urls and available else None,
        ))
    group_results = [
        GroupResult(number=n, label=str(GROUP_LABELS.get(n, n)),
                    max_points=sum((i.max_points for i in inds), Decimal("0.00")),
                    points=sum((i.points for i in inds), Decimal("0.00")), indicators=inds)
        for n, inds in sorted(groups.items())
    ]
    total = sum((g.points for g in group_results), Decimal("0.00"))
    max_total = sum((g.max_points for g in group_results), Decimal("0.00"))
    b = formulas.band(total, bands)
    return Scorecard(scope=scope, period=period, groups=group_results, total=total, max_total=max_total,
                     band=Band(b.code, b.label, b.min_total), received=figures["received"],
                     computed_at=figures["computed_at"])


def _definitions_by_day(days: list[date]) -> dict[date, dict[str, IndicatorDefinition]]:
    """definitions_at() of each day, from one query."""
    rows = list(IndicatorDefinition.objects.filter(effective_from__lte=max(days)).order_by("code", "-effective_from"))
    out = {}
    for day in set(days):
        found: dict[str, IndicatorDefinition] = {}
        for d in rows:
            if d.effective_from <= day:
                found.setdefault(d.code, d)
        out[day] = found
    return out


def _bands_by_day(days: list[date]) -> dict[date, list[formulas.BandRule]]:
    """bands_at() of each day, from one query."""
    rows = list(RankingBand.objects.filter(effective_from__lte=max(days)).order_by("-effective_from", "-min_total"))
    out = {}
    for day in set(days):
        in_force = [b for b in rows if b.effective_from <= day]
        if not in_force:
            out[day] = [formulas.BandRule("weak", _("Yếu"), Decimal(0))]
            continue
        latest = in_force[0].effective_from
        out[day] = [formulas.BandRule(b.code, b.label, b.min_total) for b in in_force if b.effective_from == latest]
    return out


def _resolve_key(kind: str, code: str, units_as: str, period: Period):
    """What, in a period, decides which agencies a scope covers: only the code list in force at the
    period's start for a unit scope read "as filed" without an explicit list; nothing otherwise."""
    if kind in UNIT_LEVEL_OF_KIND and units_as == "as_filed" and ":" not in (code or ""):
        return edition_at(period.start)
    return None


def _disjoint(periods: list[Period]) -> list[list[Period]]:
    """The periods in as few runs of non-overlapping periods as possible (a trend is a single run)."""
    runs: list[list[Period]] = []
    for p in periods:
        for run in runs:
            if all(p.end < q.start or q.end < p.start for q in run):
                run.append(p)
                break
        else:
            runs.append([p])
    return runs


def _cards(scope_kind: str, scope_code: str, periods: list[Period], *, units_as: str,
           urls_for: frozenset = frozenset()) -> list[tuple[Scorecard, dict]]:
    """(scorecard, figures) of each period, in a number of queries that does not depend on the number
    of periods: the scope is resolved once per code list, and each table is read once per run of
    non-overlapping periods with its rows grouped by period. Drill-down links only for `urls_for` keys."""
    amap = AgencyMap()
    unique = list(dict.fromkeys(periods))
    resolved: dict = {}
    by_key: dict = {}
    for period in unique:
        key = _resolve_key(scope_kind, scope_code, units_as, period)
        if key not in resolved:
            resolved[key] = resolve(scope_kind, scope_code, units_as=units_as, period=period, amap=amap)
        by_key.setdefault(key, []).append(period)
    figures: dict[Period, dict] = {}
    for key, group in by_key.items():
        ids = resolved[key][1]
        for run in _disjoint(group):
            figures.update(zip(run, _figures_many(run, ids, amap), strict=True))
    ends = [p.end for p in unique]
    defs, bands = _definitions_by_day(ends), _bands_by_day(ends)
    built = {}
    for period in unique:
        scope = resolved[_resolve_key(scope_kind, scope_code, units_as, period)][0]
        built[period] = _build(scope, period, figures[period], defs[period.end], bands[period.end],
                               with_urls=period.key in urls_for)
    return [(built[p], figures[p]) for p in periods]


def scorecard(scope_kind: str, scope_code: str, period, *, units_as: str = "today") -> Scorecard:
    period = parse_period(period)
    amap = AgencyMap()
    scope, ids = resolve(scope_kind, scope_code, units_as=units_as, period=period, amap=amap)
    return _build(scope, period, _figures(period, ids, amap), definitions_at(period.end), bands_at(period.end))


def _headline_of(card: Scorecard, figures: dict) -> Headline:
    def r(code):
        try:
            return card.indicator(code).rate
        except KeyError:
            return None

    return Headline(scope=card.scope, period=card.period, received=card.received, on_time_rate=r("2.1"),
                    online_share=formulas.rate(figures["online"], figures["received"]), satisfaction_rate=r("5.4"),
                    feedback_on_time_rate=r("5.2"), online_service_share=r("3.1"))


def headline(scope_kind: str, scope_code: str, period, *, units_as: str = "today") -> Headline:
    period = parse_period(period)
    amap = AgencyMap()
    scope, ids = resolve(scope_kind, scope_code, units_as=units_as, period=period, amap=amap)
    figures = _figures(period, ids, amap)
    card = _build(scope, period, figures, definitions_at(period.end), bands_at(period.end), with_urls=False)
    return _headline_of(card, figures)


def _periods(periods) -> list[Period]:
    if isinstance(periods, tuple) and len(periods) == 2 and isinstance(periods[1], int):
        periods = previous_periods(parse_period(periods[0]), periods[1])
    return [parse_period(p) for p in periods]


def _point(card: Scorecard, figures: dict) -> TrendPoint:
    return TrendPoint(period=card.period, total=card.total, band=card.band,
                      group_points={g.number: g.points for g in card.groups}, headline=_headline_of(card, figures))


def trend(scope_kind: str, scope_code: str, periods, *, units_as: str = "today") -> list[TrendPoint]:
    """One point per period (oldest first as given). `periods` may also be a single period key and a
    count: trend(kind, code, ("2026-10", 12)) gives the 12 months up to October 2026.

    Each point equals the scorecard of its period; all periods are computed together, each table
    read once with its rows grouped by period, so a 12-month trend costs the queries of one scorecard."""
    parsed = _periods(periods)
    if not parsed:
        return []
    return [_point(card, figures) for card, figures in _cards(scope_kind, scope_code, parsed, units_as=units_as)]


def scorecard_and_trend(scope_kind: str, scope_code: str, period, count: int, *,
                        units_as: str = "today") -> tuple[Scorecard, list[TrendPoint]]:
    """The scorecard of `period` (with its drill-down links) and the trend of the `count` periods
    ending with it, computed together: what a dashboard page shows, in the queries of one scorecard."""
    period = parse_period(period)
    parsed = previous_periods(period, count)
    cards = _cards(scope_kind, scope_code, parsed, units_as=units_as, urls_for=frozenset({period.key}))
    return cards[-1][0], [_point(card, figures) for card, figures in cards]


def scopes(kind: str, *, units_as: str = "today", period=None) -> list[Scope]:
    period = parse_period(period) if period is not None else None
    return list_scopes(kind, units_as=units_as, period=period, amap=AgencyMap())
