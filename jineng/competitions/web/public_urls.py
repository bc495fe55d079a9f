from django.urls import path

from jineng.competitions.web import views

app_name = "competitions_public"

urlpatterns = [
    path("", views.public_list, name="list"),
    path("titles/", views.public_titles_page, name="titles"),
    path("<str:code>/", views.public_detail, name="detail"),
]
