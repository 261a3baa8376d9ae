"""Thin views: forms in, services and selectors out; the rules live in services.py."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from motcua.backoffice.access import forbidden, official_required
from motcua.citizens.throttle import client_ip
from motcua.dossiers.models import Dossier
from motcua.dossiers.permissions import is_applicant, roles_at
from motcua.satisfaction import selectors, services
from motcua.satisfaction.choices import CampaignState, SipasChannel, SipasLevel
from motcua.satisfaction.forms import CampaignForm, LookupForm, PhoneForm, RatingForm, SipasForm
from motcua.satisfaction.models import SipasCampaign, SipasCriterion, SipasElement
from motcua.units.models import Agency

SESSION_VERIFIED = "satisfaction_verified_dossiers"
KEEP_VERIFIED = 20


def remember_verified(request, dossier: Dossier) -> None:
    """This browser passed the code + phone check for `dossier` (here, or on the public lookup)."""
    verified = [d for d in request.session.get(SESSION_VERIFIED, []) if d != dossier.pk]
    request.session[SESSION_VERIFIED] = (verified + [dossier.pk])[-KEEP_VERIFIED:]


def may_rate(request, dossier: Dossier | None) -> bool:
    """The applicant signed in, or whoever passed the code + phone check in this browser session."""
    if dossier is None:
        return False
    return is_applicant(request.user, dossier) or dossier.pk in request.session.get(SESSION_VERIFIED, [])


def rate_lookup(request):
    form = LookupForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                dossier = services.verify_second_factor(form.cleaned_data["code"], form.cleaned_data["phone"],
                                                        client_ip(request))
            except services.LookupRefusedError as exc:
                form.add_error(None, exc.message)
            else:
                remember_verified(request, dossier)
                return redirect("satisfaction:rate", code=dossier.code)
        status = 422
    return render(request, "satisfaction/lookup.html", {"form": form}, status=status)


def rate(request, code: str):
    code = services.normalise_code(code)
    dossier = services.dossier_by_code(code)
    if not may_rate(request, dossier):
        if dossier is not None and roles_at(request.user, dossier.receiving_agency_id):
            return _official_view(request, dossier)
        return _second_factor(request, code, dossier)
    rating = selectors.rating_of(dossier)
    now = timezone.now()
    context = {"dossier": dossier, "rating": rating, "edit_days": services.edit_days()}
    if not services.ended(dossier):
        return render(request, "satisfaction/not_ended.html", context)
    if rating is not None:
        context["editable_until"] = services.editable_until(rating)
        if not services.can_change(rating, now):
            return render(request, "satisfaction/rating_readonly.html", context)
    rated_on = timezone.localtime(rating.rated_at if rating else now).date()
    criteria = selectors.criteria_in_force(rated_on)
    initial = None
    if rating is not None:
        given = {a.criterion.number: str(a.points) for a in rating.answers.all()}
        initial = {"level": rating.level, "comment": rating.comment}
        initial.update({services.criterion_field(c.number): given.get(c.number, "na" if c.optional else None)
                        for c in criteria})
    form = RatingForm(request.POST if request.method == "POST" else None, criteria=criteria, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = services.RatingInput(level=form.cleaned_data["level"], answers=form.answers(),
                                        comment=form.cleaned_data.get("comment", ""))
            try:
                services.rate_dossier(dossier.pk, data, user=request.user, now=now)
            except services.InvalidInputError as exc:
                for field, message in exc.errors.items():
                    form.add_error(field if field in form.fields else None, message)
            except services.NotAllowedError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Cảm ơn ông/bà đã đánh giá. Ông/bà có thể sửa đánh giá trong %(days)d "
                                            "ngày.") % {"days": services.edit_days()})
                return redirect("satisfaction:rate", code=dossier.code)
        status = 422
    context["form"] = form
    return render(request, "satisfaction/rate.html", context, status=status)


def _second_factor(request, code: str, dossier: Dossier | None):
    form = PhoneForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                found = services.verify_second_factor(code, form.cleaned_data["phone"], client_ip(request))
            except services.LookupRefusedError as exc:
                form.add_error(None, exc.message)
            else:
                remember_verified(request, found)
                return redirect("satisfaction:rate", code=found.code)
        status = 422
    return render(request, "satisfaction/second_factor.html", {"form": form, "code": code}, status=status)


def _official_view(request, dossier: Dossier):
    rating = selectors.rating_of(dossier)
    return render(request, "satisfaction/rating_readonly.html",
                  {"dossier": dossier, "rating": rating, "official": True,
                   "editable_until": services.editable_until(rating) if rating else None})


def sipas_survey(request, token: str):
    invitation = services.invitation_for(token)
    if invitation is None:
        raise Http404(_("Không tìm thấy phiếu khảo sát."))
    if hasattr(invitation, "response"):
        return render(request, "satisfaction/sipas_done.html", {"invitation": invitation, "already": True})
    if invitation.campaign.state != CampaignState.OPEN:
        return render(request, "satisfaction/sipas_closed.html", {"invitation": invitation}, status=410)
    form = SipasForm(request.POST or None, questions=services.questionnaire())
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.submit_response(token, form.answers())
            except services.InvalidInputError as exc:
                for message in exc.errors.values():
                    form.add_error(None, message)
            except services.SatisfactionError as exc:
                form.add_error(None, exc.message)
            else:
                return render(request, "satisfaction/sipas_done.html", {"invitation": invitation})
        status = 422
    return render(request, "satisfaction/sipas_survey.html", {"invitation": invitation, "form": form},
                  status=status)


# ----------------------------------------------------------------------------- officials

def _provinces(request):
    ids = services.managed_province_ids(request.user)
    provinces = selectors.current_provinces()
    return provinces if ids is None else provinces.filter(pk__in=ids)


@official_required
def campaigns(request):
    provinces = _provinces(request)
    rows = SipasCampaign.objects.filter(province__in=provinces).select_related("province")
    return render(request, "satisfaction/campaigns.html", {"campaigns": rows, "can_create": provinces.exists()})


@official_required
def campaign_new(request):
    provinces = list(_provinces(request))
    if not provinces:
        return forbidden(request, _("Chỉ quản trị hệ thống, quản trị cơ quan hoặc lãnh đạo của một cơ quan trong "
                                    "tỉnh mới tổ chức được đợt khảo sát SIPAS."))
    form = CampaignForm(request.POST or None, provinces=provinces)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = services.CampaignInput(
                name=form.cleaned_data["name"], province_code=form.cleaned_data["province"],
                period_start=form.cleaned_data["period_start"], period_end=form.cleaned_data["period_end"],
                sample_size=form.cleaned_data["sample_size"],
                minimum_per_stratum=form.cleaned_data["minimum_per_stratum"], seed=form.cleaned_data["seed"])
            try:
                campaign = services.create_campaign(data, actor=request.user)
            except services.InvalidInputError as exc:
                for field, message in exc.errors.items():
                    form.add_error(field if field in form.fields else None, message)
            else:
                return redirect("satisfaction:campaign_detail", pk=campaign.pk)
        status = 422
    return render(request, "satisfaction/campaign_form.html", {"form": form}, status=status)


def _managed_campaign(request, pk: int) -> SipasCampaign:
    campaign = get_object_or_404(SipasCampaign.objects.select_related("province"), pk=pk)
    if not services.may_manage_province(request.user, campaign.province):
        raise Http404
    return campaign


@official_required
def campaign_detail(request, pk: int):
    campaign = _managed_campaign(request, pk)
    index = selectors.campaign_index([campaign])
    structure = selectors.sipas_structure()
    elements = {e.number: e for e in SipasElement.objects.all()}
    criteria = {c.code: c for c in SipasCriterion.objects.all()}
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in=list(index.by_agency))}
    context = {
        "campaign": campaign, "index": index, "progress": selectors.campaign_progress(campaign),
        "element_rows": [(elements[n], index.elements[n], [(criteria[c], index.criteria[c]) for c in codes])
                         for n, codes in structure],
        "level_rows": [(SipasLevel(k).label, b) for k, b in index.by_level.items()],
        "channel_rows": [(SipasChannel(k).label, b) for k, b in index.by_channel.items()],
        "agency_rows": [(agencies[k], b) for k, b in index.by_agency.items()],
        "element_numbers": [n for n, _codes in structure],
        "strata": [(key, *values) for key, values in campaign.strata.items()],
        "invitations": campaign.invitations.select_related("dossier", "agency", "response")
        if campaign.state == CampaignState.OPEN else [],
        "assessments": selectors.assessment_counts(campaign),
        "site_url": request.build_absolute_uri("/").rstrip("/"),
        "actions": [a for a, (source, _t, _h) in services.CAMPAIGN_ACTIONS.items() if source == campaign.state],
    }
    return render(request, "satisfaction/campaign_detail.html", context)


@official_required
@require_POST
def campaign_action(request, pk: int, action: str):
    campaign = _managed_campaign(request, pk)
    try:
        services.transition_campaign(campaign.pk, action, actor=request.user)
    except services.SatisfactionError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("satisfaction:campaign_detail", args=[campaign.pk]))


@official_required
def agency_ratings(request):
    agency = request.office.agency
    return render(request, "satisfaction/agency_ratings.html",
                  {"agency": agency, "ratings": selectors.agency_ratings([agency.pk])})
