from django.urls import path

from agencies import views

app_name = "agencies"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("admit/", views.agency_admit, name="admit"),
    path("<int:pk>/", views.agency_detail, name="detail"),
    path("people/", views.people, name="people"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/deactivate/", views.person_deactivate, name="person_deactivate"),
    path("people/<int:pk>/reactivate/", views.person_reactivate, name="person_reactivate"),
    path("invitations/new/", views.invitation_create, name="invite"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    # Data-sharing agreements (coordinators): the gaps page, recording one, ending one recorded in error.
    path("agreements/", views.agreement_gaps, name="agreements"),
    path("agreements/new/", views.agreement_create, name="agreement_create"),
    path("agreements/<int:pk>/end/", views.agreement_end, name="agreement_end"),
]
