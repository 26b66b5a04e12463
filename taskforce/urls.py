from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from agencies import views as agency_views
from api import errors
from api.health import healthz

# The admin signs in through allauth: the same MFA and lockout as the portal.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = "Task force portal administration"

urlpatterns = [
    path("", agency_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    # The API before the prefix-less includes below, whose patterns every API request would try first.
    path("api/", include(([path("v1/", include("api.v1.urls", namespace="v1"))], "api"))),
    path("accounts/", include("allauth.urls")),
    path("invitations/<str:token>/", agency_views.invitation_accept, name="invitation_accept"),
    path("agencies/", include("agencies.urls")),
    path("referrals/", include("cases.urls")),
    # Meetings, trainings, calendars and the public training pages; digests; grant reports.
    path("", include("meetings.urls")),
    path("", include("digests.urls")),
    path("reports/", include("reports.urls")),
    path("audit/", include(("audit.urls", "audit"))),
    path("account/tokens/", include("api.web_urls")),
    path("admin/", admin.site.urls),
]


def handler404(request, exception=None):
    if request.path.startswith("/api/"):
        return errors.api_not_found(request, exception)
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


def handler500(request):
    if request.path.startswith("/api/"):
        return errors.api_server_error(request)
    from django.views.defaults import server_error

    return server_error(request)


def handler403(request, exception=None):
    if request.path.startswith("/api/"):
        return errors.api_permission_denied(request, exception)
    from django.views.defaults import permission_denied

    return permission_denied(request, exception)
