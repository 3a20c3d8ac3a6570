"""Agreement and adjudication endpoints, mounted under /api/ by annotations/api_urls.py."""

from django.urls import path

from annotations import review_views

urlpatterns = [
    path("agreement/", review_views.AgreementView.as_view(), name="api-agreement"),
    path("review/articles/<int:article_id>/", review_views.ReviewArticleView.as_view(), name="api-review-article"),
    path("review/articles/<int:article_id>/gold/", review_views.GoldAddView.as_view(), name="api-review-gold"),
    path("review/annotations/<int:annotation_id>/accept/", review_views.AcceptView.as_view(), name="api-review-accept"),
    path("review/annotations/<int:annotation_id>/reject/", review_views.RejectView.as_view(), name="api-review-reject"),
]
