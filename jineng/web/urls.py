from django.contrib.auth import views as auth_views
from django.urls import path

from jineng.web import pickers, signin, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("login/otp/", signin.otp_verify, name="otp_verify"),
    path("login/otp/setup/", signin.otp_setup, name="otp_setup"),
    path("login/otp/qr.svg", signin.otp_qr, name="otp_qr"),
    path("login/otp/recovery/", signin.otp_recovery, name="otp_recovery"),
    path("password/", signin.password_change_page, name="password_change"),
    path("pickers/occupations", pickers.occupations, name="picker_occupations"),
    path("pickers/regions", pickers.regions, name="picker_regions"),
    path("notifications/", views.notifications, name="notifications"),
    path("audit/", views.audit_list, name="audit"),
    path("jobs/", views.job_list, name="jobs"),
    path("jobs/<uuid:job_id>/", views.job_detail, name="job_detail"),
    path("jobs/<uuid:job_id>/download/", views.job_download, name="job_download"),
    path("attachments/<uuid:att_id>/", views.attachment_download, name="attachment"),
    path("settings/", views.settings_page, name="settings"),
    path("account/", views.account, name="account"),
    path("users/", views.users_page, name="users"),
]
