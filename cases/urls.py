from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("", views.referral_list, name="referral_list"),
    path("new/", views.referral_create, name="referral_create"),
    path("suggestions/", views.referral_suggestions, name="referral_suggestions"),
    path("check-text/", views.check_text, name="check_text"),
    path("search/", views.search, name="search"),
    path("export.csv", views.referral_export, {"file_format": "csv"}, name="referral_export_csv"),
    path("export.xlsx", views.referral_export, {"file_format": "xlsx"}, name="referral_export_xlsx"),
    path("<int:pk>/", views.referral_detail, name="referral_detail"),
    path("<int:pk>/move/", views.referral_transition, name="referral_transition"),
    path("<int:pk>/contact/", views.referral_contact, name="referral_contact"),
    path("<int:pk>/comments/", views.referral_comment, name="referral_comment"),
    path("<int:pk>/services/", views.referral_services, name="referral_services"),
    path("<int:pk>/consent/revoke/", views.consent_revoke, name="consent_revoke"),
    path("<int:pk>/flag/", views.referral_flag, name="referral_flag"),
]
