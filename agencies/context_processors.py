from django.conf import settings
from django.http import HttpRequest

from agencies.roles import Action


def portal(request: HttpRequest) -> dict[str, object]:
    user = request.user
    allowed = {action.value: user.is_authenticated and user.can(action) for action in Action}
    return {
        "taskforce_name": settings.TASKFORCE_NAME,
        "taskforce_hotline": settings.TASKFORCE_HOTLINE,
        "session_idle_seconds": int(settings.SESSION_IDLE_TIMEOUT.total_seconds()),
        "can": allowed,
    }
