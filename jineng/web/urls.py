from django.contrib.auth import views as auth_views
from django.urls import path

from jineng.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("notifications/", views.notifications, name="notifications"),
    path("audit/", views.audit_list, name="audit"),
    path("jobs/", views.job_list, name="jobs"),
    path("jobs/<uuid:job_id>/", views.job_detail, name="job_detail"),
    path("settings/", views.settings_page, name="settings"),
    path("account/", views.account, name="account"),
    path("users/", views.users_page, name="users"),
]
