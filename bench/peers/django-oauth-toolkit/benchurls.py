"""The OAuth 2 and OpenID Connect endpoints under /o/."""
from django.urls import include, path

urlpatterns = [path("o/", include("oauth2_provider.urls", namespace="oauth2_provider"))]
