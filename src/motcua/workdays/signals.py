"""Every write to the calendar data changes the revision token, so cached calendars are rebuilt."""

from django.db.models.signals import post_delete, post_save


def _bump(sender, **kwargs):
    from motcua.workdays.services import bump_revision

    bump_revision()


def connect() -> None:
    from motcua.workdays.models import CalendarDay, DeadlineRuleSet, OfficeHours

    for model in (CalendarDay, OfficeHours, DeadlineRuleSet):
        post_save.connect(_bump, sender=model, dispatch_uid=f"workdays-bump-{model.__name__}-save")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"workdays-bump-{model.__name__}-delete")
