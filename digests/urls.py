from django.urls import path

from digests import views

app_name = "digests"

urlpatterns = [
    path("digests/preferences/", views.preferences, name="preferences"),
    path("digests/preview/", views.preview, name="preview"),
    path("digests/defaults/", views.defaults, name="defaults"),
    path("email/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
