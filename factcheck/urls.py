from django.contrib import admin
from django.contrib.auth.views import LogoutView
from django.urls import include, path

from annotations.auth_views import ThrottledLoginView

# A busy database met outside a view answers 503 + Retry-After (annotations/middleware.py).
handler500 = "annotations.middleware.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", ThrottledLoginView.as_view(), name="login"),
    # Sign in and out only: staff set and reset passwords in the admin, so there is no
    # anonymous password-reset form (unthrottled, and it would send mail).
    path("accounts/logout/", LogoutView.as_view(), name="logout"),
    path("api/", include("annotations.api_urls")),
    path("review/", include("annotations.review.urls")),
    path("", include("annotations.urls")),
]
