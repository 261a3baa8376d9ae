"""`{% rate_prompt dossier %}`: the rating box for the citizen's dossier page (eservices includes it).

Shows nothing until the dossier ended; then a link to rate it, or the level given and a link to
change it while the edit window is open. It makes no decision of its own: services decide.
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
