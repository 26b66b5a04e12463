from django.urls import path

from webhooks import views

app_name = "webhooks"

urlpatterns = [
    path("", views.endpoint_list, name="list"),
    path("add/", views.endpoint_add, name="add"),
    path("<int:pk>/", views.endpoint_detail, name="detail"),
    path("<int:pk>/edit/", views.endpoint_edit, name="edit"),
    path("<int:pk>/test/", views.endpoint_test, name="test"),
    path("<int:pk>/rotate-secret/", views.endpoint_rotate, name="rotate"),
    path("<int:pk>/enable/", views.endpoint_enable, name="enable"),
    path("<int:pk>/delete/", views.endpoint_delete, name="delete"),
]
