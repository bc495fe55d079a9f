from django.urls import path

from jineng.subsidies.web import views

app_name = "publicity"

urlpatterns = [path("", views.publicity, name="list")]
