"""The site's URLs plus one view that fails, to see the 500 page in a browser."""

from django.urls import path

from factcheck.urls import handler500  # noqa: F401 (handler500 is read from here)
from factcheck.urls import urlpatterns as site_urlpatterns


def fail(request):
    raise RuntimeError("a failure for the 500 page")


urlpatterns = [path("test-failure/", fail), *site_urlpatterns]
