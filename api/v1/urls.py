from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from api.v1 import activity, meetings, referrals, reports, search, views

app_name = "v1"

router = SimpleRouter()
router.register("agencies", views.AgencyViewSet, basename="agency")
# Each area registers its own endpoints, so that areas can grow without touching this file.
referrals.register(router)
meetings.register(router)
reports.register(router)
activity.register(router)

urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("search/", search.SearchView.as_view(), name="search"),
    path("schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:v1:schema"), name="docs"),
    *router.urls,
]
