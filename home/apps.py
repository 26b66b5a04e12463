from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The home page that shows what needs each person (referrals waiting, escalated, overdue action
    items, this week's meetings, stale capacity) and the coordinators' announcements to partners."""

    name = "home"
    verbose_name = "Home and announcements"
