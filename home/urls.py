from django.urls import path

from home import views

app_name = "home"

# Mounted at /announcements/ (taskforce/urls.py); the home page itself is the root URL, named "home".
urlpatterns = [
    path("", views.announcement_list, name="announcement_list"),
    path("new/", views.announcement_create, name="announcement_create"),
    path("<int:pk>/", views.announcement_detail, name="announcement_detail"),
    path("<int:pk>/acknowledge/", views.announcement_acknowledge, name="announcement_acknowledge"),
]
