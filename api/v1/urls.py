from typing import Any

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from api.v1 import activity, agreements, announcements, directory, meetings, referrals, reports, search, views, webhooks

app_name = "v1"


class AnySegmentRouter(SimpleRouter):
    """A detail route takes any one path segment as its id, a dot included (DRF's default pattern stops at
    dots, for format suffixes this API does not use). The view then answers an id that is not a whole
    number with the API's JSON 404 (api.errors.pk_from_url), whatever DEBUG says: a URL that matched no
    pattern got Django's HTML page under DEBUG, which schemathesis reported for "/reports/-1.08e-67/"."""

    def get_lookup_regex(self, viewset: Any, lookup_prefix: str = "") -> str:
        kwarg = getattr(viewset, "lookup_url_kwarg", None) or getattr(viewset, "lookup_field", "pk")
        return f"(?P<{lookup_prefix}{kwarg}>[^/]+)"


router = AnySegmentRouter()
router.register("agencies", views.AgencyViewSet, basename="agency")
# Each area registers its own endpoints, so that areas can grow without touching this file.
referrals.register(router)
meetings.register(router)
reports.register(router)
activity.register(router)
agreements.register(router)
directory.register(router)
webhooks.register(router)
announcements.register(router)

urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("search/", search.SearchView.as_view(), name="search"),
    path("schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:v1:schema"), name="docs"),
    *directory.urlpatterns,
    *webhooks.urlpatterns,
    *announcements.urlpatterns,
    *router.urls,
]
