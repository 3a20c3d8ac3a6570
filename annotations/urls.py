"""Pages (HTML). The REST API is routed in api_urls.py; `/` (my projects) and the pages of
one project (home, settings, claims, export, import) are in annotations/projects/urls.py."""

from django.urls import include, path

from annotations import views
from annotations.export import pages as export_pages

urlpatterns = [
    path("", include("annotations.projects.urls")),
    # Every article of my projects in one list (each project's home lists its own).
    path("articles/", views.article_list, name="article-list"),
    path("articles/<int:pk>/", views.article_annotate, name="article-annotate"),
    path("articles/<int:pk>/done/", views.article_done, name="article-done"),
    path("export/", export_pages.export_start, name="export-start"),
]
