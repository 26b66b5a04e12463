from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("new/", views.report_new, name="new"),
    path("<int:pk>/", views.report_detail, name="detail"),
    # POST-only actions carry the report in the form, like every other field of it.
    path("approve/", views.report_approve, name="approve"),
    path("<int:pk>/report.csv", views.report_csv, name="csv"),
    path("exports/", views.export_request, name="export_request"),
    path("exports/<uuid:pk>/", views.export_page, name="export"),
    path("exports/<uuid:pk>/status/", views.export_status, name="export_status"),
    path("exports/<uuid:pk>/download/", views.export_download, name="export_download"),
]
