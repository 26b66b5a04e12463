"""Whether the signed-in person's agency enters activity figures, for the menu. A context processor of
this app's own, because agencies (below activity) may not ask activity."""

from django.http import HttpRequest

from activity.choices import measures_for
from agencies.roles import Action


def activity(request: HttpRequest) -> dict[str, bool]:
    user = request.user
    if not user.is_authenticated or not user.can(Action.ENTER_ACTIVITY_FIGURES):
        return {"enters_activity_figures": False}
    agency = user.agency
    return {"enters_activity_figures": agency is not None and bool(measures_for(agency))}
