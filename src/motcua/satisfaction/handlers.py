"""Outbox handler: e-mail a SIPAS invitation (run by the worker, never inside the web request)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.outbox import handles
from motcua.satisfaction.models import SipasInvitation
from motcua.satisfaction.services import INVITED_TOPIC


@handles(INVITED_TOPIC)
def on_invited(event) -> None:
    invitation = (SipasInvitation.objects.select_related("campaign", "dossier__applicant", "agency")
                  .filter(pk=event.payload["invitation"]).first())
    # Already sent (a retry after the commit was lost) or already answered: nothing to do.
    if invitation is None or invitation.emailed_at or not invitation.dossier.applicant.email:
        return
    context = {
        "invitation": invitation,
        "applicant": invitation.dossier.applicant,
        "link": settings.MOTCUA_SITE_URL + reverse("satisfaction:sipas_survey", args=[invitation.token]),
    }
    send_mail(
        _("Mời tham gia khảo sát sự hài lòng về sự phục vụ hành chính (SIPAS)"),
        render_to_string("satisfaction/email/sipas_invitation.txt", context),
        None, [invitation.dossier.applicant.email],
    )
    SipasInvitation.objects.filter(pk=invitation.pk).update(emailed_at=timezone.now())
