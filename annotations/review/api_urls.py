"""Agreement and adjudication endpoints, mounted under /api/ by annotations/api_urls.py."""

from django.urls import path

from annotations.review import views

urlpatterns = [
    path("agreement/", views.AgreementView.as_view(), name="api-agreement"),
    path("review/articles/<int:article_id>/", views.ReviewArticleView.as_view(), name="api-review-article"),
    path("review/articles/<int:article_id>/gold/", views.GoldAddView.as_view(), name="api-review-gold"),
    path("review/annotations/<int:annotation_id>/accept/", views.AcceptView.as_view(), name="api-review-accept"),
    path("review/annotations/<int:annotation_id>/reject/", views.RejectView.as_view(), name="api-review-reject"),
]
