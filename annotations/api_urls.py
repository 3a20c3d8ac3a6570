"""Routes under /api/: a plain list of paths plus the DRF router for the resources."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from annotations import api
from annotations.claims.api import ClaimMatchesView, ClaimViewSet
from annotations.export.views import export_view
from annotations.importing.api import ImportJobView, ImportUploadView
from annotations.relations.api import RelationViewSet

router = DefaultRouter()
router.register("articles", api.ArticleViewSet, basename="article")
router.register("annotations", api.AnnotationViewSet, basename="annotation")
router.register("sources", api.SourceViewSet, basename="source")
router.register("labels", api.LabelViewSet, basename="label")
router.register("claim-types", api.ClaimTypeViewSet, basename="claimtype")
router.register("verdicts", api.VerdictViewSet, basename="verdict")
router.register("projects", api.ProjectViewSet, basename="project")
router.register("claims", ClaimViewSet, basename="claim")
router.register("relations", RelationViewSet, basename="relation")

urlpatterns = [
    path("auth/token/", api.TokenView.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", api.api_docs, name="api-docs"),
    path("export/", export_view, name="export"),
    path("projects/<slug:slug>/members/", api.ProjectMembersView.as_view(), name="project-members"),
    path("projects/<slug:slug>/members/<str:username>/", api.ProjectMemberView.as_view(), name="project-member"),
    path("annotations/<int:pk>/claim-matches/", ClaimMatchesView.as_view(), name="claim-matches"),
    path("projects/<slug:slug>/imports/", ImportUploadView.as_view(), name="project-imports"),
    path("imports/<int:pk>/", ImportJobView.as_view(), name="import-job"),
    path("", include("annotations.review.api_urls")),
    path("", include(router.urls)),
]
