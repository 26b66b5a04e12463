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
    path("template/", views.report_template, name="template"),
    # The funder copy and the grant manager's workflow: exact figures, grant managers with MFA only.
    path("funder/", views.funder_workflow, name="funder_workflow"),
    path("funder/new/", views.funder_create, name="funder_create"),
    path("funder/remind/", views.funder_remind, name="funder_remind"),
    path("<int:pk>/funder/", views.funder_copy_page, name="funder_copy"),
    path("<int:pk>/funder.xlsx", views.funder_xlsx, name="funder_xlsx"),
    path("<int:pk>/funder.pdf", views.funder_pdf, name="funder_pdf"),
    path("exports/", views.export_request, name="export_request"),
    path("exports/<uuid:pk>/", views.export_page, name="export"),
    path("exports/<uuid:pk>/status/", views.export_status, name="export_status"),
    path("exports/<uuid:pk>/download/", views.export_download, name="export_download"),
]
