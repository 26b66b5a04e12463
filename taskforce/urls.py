from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import include, path, reverse

from agencies import views as agency_views
from agencies.language import set_language
from api import errors
from api.health import healthz
from home import views as home_views

# The admin signs in through allauth: the same MFA and lockout as the portal.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = "Task force portal administration"


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and feed readers ask for /favicon.ico whatever the page's <link rel="icon"> says."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


urlpatterns = [
    path("", home_views.home, name="home"),
    path("directory/", include("directory.urls")),
    path("public/directory/", include("directory.public_urls")),
    path("webhooks/", include("webhooks.urls")),
    path("announcements/", include("home.urls")),
    path("healthz", healthz, name="healthz"),
    path("language/", set_language, name="set_language"),
    path("favicon.ico", favicon, name="favicon"),
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
    path("activity/", include("activity.urls")),
    # The audit trail page applies the role map, so its view is in agencies (the audit app sits below).
    path("audit/", include(([path("", agency_views.audit_list, name="list")], "audit"))),
    path("account/tokens/", include("api.web_urls")),
    path("admin/", admin.site.urls),
]


def handler404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return errors.api_not_found(request, exception)
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


def handler500(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return errors.api_server_error(request)
    from django.views.defaults import server_error

    return server_error(request)


# Django always passes the PermissionDenied it caught.
def handler403(request: HttpRequest, exception: PermissionDenied) -> HttpResponse:
    if request.path.startswith("/api/"):
        return errors.api_permission_denied(request, exception)
    from django.views.defaults import permission_denied

    return permission_denied(request, exception)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: what to do next, in the portal's layout, never Django's debug text.

    The reason stays out of the page; CsrfViewMiddleware has already logged it (django.security.csrf).
    The public pages keep their hotline and quick exit.
    """
    if request.path.startswith("/api/"):
        return errors.api_permission_denied(request)
    public = request.path.startswith("/public/")
    context = {
        "layout": "public_base.html" if public else "base.html",
        "public": public,
        "back_url": reverse("meetings:public_training_list" if public else "home"),
        "quick_exit_url": settings.MEETINGS_QUICK_EXIT_URL,
    }
    return render(request, "403_csrf.html", context, status=403)
