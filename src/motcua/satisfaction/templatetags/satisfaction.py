"""`{% rate_prompt dossier %}`: the rating box for the citizen's dossier page (eservices includes it).

Shows nothing until the dossier ended; then a link to rate it, or the level given and a link to
change it while the edit window is open. It makes no decision of its own: services decide.

`user|runs_sipas`: whether the back office's menu shows the SIPAS pages (the same rule as the
pages themselves: services.managed_province_ids).
"""

from django import template
from django.urls import reverse

from motcua.satisfaction import selectors, services

register = template.Library()


@register.inclusion_tag("satisfaction/_rate_prompt.html")
def rate_prompt(dossier):
    if dossier is None or not dossier.code or not services.ended(dossier):
        return {"prompt": None}
    rating = selectors.rating_of(dossier)
    return {"prompt": {
        "dossier": dossier,
        "rating": rating,
        "url": reverse("satisfaction:rate", args=[dossier.code]),
        "can_change": rating is not None and services.can_change(rating),
        "until": services.editable_until(rating) if rating else None,
    }}


@register.filter
def runs_sipas(user) -> bool:
    """A system administrator, or an agency administrator or approver of an agency in a province."""
    ids = services.managed_province_ids(user)
    return ids is None or bool(ids)
