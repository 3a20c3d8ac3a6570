"""Reviewer and staff pages, mounted at /review/ by factcheck/urls.py."""

from django.urls import path

from annotations.review import views

urlpatterns = [
    path("", views.review_index, name="review-index"),
    path("progress/", views.review_progress, name="review-progress"),
    path("agreement/", views.review_agreement, name="review-agreement"),
    path("articles/<int:article_id>/", views.review_article, name="review-article"),
]
