"""Reviewer and staff pages, mounted at /review/ by factcheck/urls.py."""

from django.urls import path

from annotations import review_views

urlpatterns = [
    path("", review_views.review_index, name="review-index"),
    path("progress/", review_views.review_progress, name="review-progress"),
    path("agreement/", review_views.review_agreement, name="review-agreement"),
    path("articles/<int:article_id>/", review_views.review_article, name="review-article"),
]
