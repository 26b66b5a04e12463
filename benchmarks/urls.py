"""The portal's URLs plus the benchmark-only ceiling views (loaded by benchmarks/settings.py only)."""

from django.urls import include, path

from benchmarks import ceilings
from taskforce.urls import handler403, handler404, handler500  # noqa: F401 - the same error pages

urlpatterns = [
    path("bench/ceiling/referrals/", ceilings.referral_list_ceiling),
    path("bench/ceiling/referrals/<int:pk>/", ceilings.referral_detail_ceiling),
    path("bench/export/referrals.csv", ceilings.export_csv_all),
    path("bench/ceiling/copy.csv", ceilings.copy_csv_all),
    path("", include("taskforce.urls")),
]
