from django.urls import path

from directory import public_views

app_name = "directory_public"

urlpatterns = [
    path("hsds.json", public_views.hsds_export, name="hsds"),
]
