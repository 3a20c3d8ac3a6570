"""Project pages, mounted at / by annotations/urls.py."""

from django.urls import path

from annotations.projects import views

urlpatterns = [
    path("", views.home, name="home"),
    path("projects/", views.project_list, name="project-list"),
    path("projects/new/", views.project_new, name="project-new"),
    path("projects/<slug:slug>/", views.project_home, name="project-home"),
    path("projects/<slug:slug>/settings/", views.project_settings, name="project-settings"),
    path("projects/<slug:slug>/guidelines/", views.project_guidelines, name="project-guidelines"),
]
