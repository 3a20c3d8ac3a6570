"""Pages (HTML). The REST API is routed in api_urls.py."""

from django.urls import path

from annotations import views
from annotations.export import pages as export_pages

urlpatterns = [
    path("", views.article_list, name="article-list"),
    path("articles/<int:pk>/", views.article_annotate, name="article-annotate"),
    path("articles/<int:pk>/done/", views.article_done, name="article-done"),
    path("export/", export_pages.export_start, name="export-start"),
    path("projects/<slug:slug>/export/", export_pages.project_export, name="project-export"),
]
