"""Pages (HTML). The REST API is routed in api_urls.py; `/` (my projects) and the project
pages are in annotations/projects/urls.py."""

from django.urls import include, path

from annotations import views
from annotations.claims import views as claim_views
from annotations.export import pages as export_pages
from annotations.importing.views import project_import

urlpatterns = [
    path("", include("annotations.projects.urls")),
    # Every article of my projects in one list (each project's home lists its own).
    path("articles/", views.article_list, name="article-list"),
    path("articles/<int:pk>/", views.article_annotate, name="article-annotate"),
    path("articles/<int:pk>/done/", views.article_done, name="article-done"),
    path("export/", export_pages.export_start, name="export-start"),
    path("projects/<slug:slug>/export/", export_pages.project_export, name="project-export"),
    path("projects/<slug:slug>/claims/", claim_views.claim_list, name="claim-list-page"),
    path("projects/<slug:slug>/claims/<int:pk>/", claim_views.claim_detail, name="claim-detail-page"),
    path("projects/<slug:slug>/import/", project_import, name="project-import"),
]
