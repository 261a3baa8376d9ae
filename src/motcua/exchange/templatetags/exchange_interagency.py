"""`{% interagency_exchange dossier %}`: the axis part of the back office's dossier page."""

from django import template

from motcua.exchange import selectors

register = template.Library()


@register.inclusion_tag("backoffice/partials/interagency_exchange.html")
def interagency_exchange(dossier):
    return selectors.interagency_for_dossier(dossier)
