from django.urls import path

from directory import views

app_name = "directory"

urlpatterns = [
    path("", views.directory_list, name="list"),
    path("<int:agency_pk>/", views.profile_detail, name="detail"),
    path("<int:agency_pk>/edit/", views.profile_edit, name="edit"),
    path("<int:agency_pk>/capacity/", views.capacity_confirm, name="capacity"),
]
