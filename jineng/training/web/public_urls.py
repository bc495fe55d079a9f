from django.urls import path

from jineng.training.web import public

app_name = "employment"

urlpatterns = [path("", public.employment_page, name="outcomes")]
