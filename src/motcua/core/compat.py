"""Django 5.2 has no `django.tasks`; the django-tasks backport provides the same API until 6.x."""

try:
    from django.tasks import task  # type: ignore[import-not-found]
except ImportError:
    from django_tasks import task

__all__ = ["task"]
