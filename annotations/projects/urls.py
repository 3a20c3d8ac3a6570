"""Project pages, mounted at / by annotations/urls.py: my projects, and every page of one
project below ``projects/<slug>/`` (its claims, export and import pages too)."""

from django.urls import include, path

from annotations.claims import views as claim_views
from annotations.export import pages as export_pages
from annotations.importing.views import project_import
from annotations.projects import views

# The pages of one project; each view takes the project's ``slug``.
project_pages = [
    path("", views.project_home, name="project-home"),
    path("settings/", views.project_settings, name="project-settings"),
    path("guidelines/", views.project_guidelines, name="project-guidelines"),
    path("export/", export_pages.project_export, name="project-export"),
    path("claims/", claim_views.claim_list, name="claim-list-page"),
    path("claims/<int:pk>/", claim_views.claim_detail, name="claim-detail-page"),
    path("import/", project_import, name="project-import"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("projects/", views.project_list, name="project-list"),
    # Before projects/<slug>/: "new" is a valid slug.
    path("projects/new/", views.project_new, name="project-new"),
    path("projects/<slug:slug>/", include(project_pages)),
]
