from django.urls import path

from jineng.refdata.web import views

app_name = "public"

urlpatterns = [
    path("reference/", views.index, name="index"),
    path("regions/", views.regions, name="regions"),
    path("regions/<str:code>/", views.region, name="region"),
    path("occupations/", views.occupations, name="occupations"),
    path("occupations/<str:code>/", views.occupation, name="occupation"),
    path("levels/", views.levels, name="levels"),
    path("industries/", views.industries, name="industries"),
    path("plans/", views.plans, name="plans"),
    path("plans/<str:plan_code>/", views.plan, name="plan"),
]
