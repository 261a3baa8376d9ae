"""What the online submission keeps beside the dossier: the declaration and the idempotency token.

The dossier itself (applicant snapshot, papers, history) is the dossiers context's; this app adds
only what an online filing has and a counter reception has not.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import ProcedureVersion
from motcua.dossiers.models import Dossier, ReceivedComponent


class OnlineSubmission(models.Model):
    """One online filing of a procedure version by a citizen, from the first page view to the dossier.

    The token is issued when the submission page is first shown and reused by every tab and retry
    of the same filing (docs/eservices.md, "Idempotency"): the row is locked while a submission is
    written, and once `dossier` is set any repeat returns that dossier.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="online_submissions")
    procedure_version = models.ForeignKey(ProcedureVersion, on_delete=models.PROTECT, related_name="+")
    token = models.CharField(max_length=64, unique=True)
    dossier = models.OneToOneField(Dossier, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="online_submission")
    # The declaration as filed, with the form revision it was checked against.
    eform = models.ForeignKey("eforms.EForm", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    eform_version = models.PositiveIntegerField(null=True, blank=True)
    declaration = models.JSONField(_("tờ khai"), default=dict, blank=True)
    # The dossier's paper "<form title> (tờ khai điện tử)": its PDF is printed by the worker after the
    # filing commits (services.attach_declaration); until then the paper has no file.
    declaration_paper = models.OneToOneField(ReceivedComponent, null=True, blank=True, on_delete=models.SET_NULL,
                                             related_name="+")
    # Which slot was filled from the document store, and from which item: {"<component id>": "giay-to-12"}.
    reused = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lần nộp trực tuyến")
        verbose_name_plural = _("lần nộp trực tuyến")
        indexes = [models.Index(fields=["user", "procedure_version"], name="online_submission_open",
                                condition=models.Q(dossier__isnull=True))]

    def __str__(self) -> str:
        return f"{self.user} — {self.procedure_version_id} — {self.dossier or self.token[:8]}"
