from django.urls import path

from jineng.inspections.web import views

app_name = "inspections_public"

urlpatterns = [
    path("", views.public_list, name="list"),
    path("verify_draw.py", views.public_script, name="script"),
    path("<str:number>.json", views.public_json, name="json"),
    path("<str:number>/", views.public_detail, name="detail"),
]
