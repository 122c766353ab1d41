"""Settings of a minimal Django site serving django-oauth-toolkit, for latchkey-bench."""
from pathlib import Path

from django.contrib.auth.hashers import Argon2PasswordHasher

BASE = Path(__file__).resolve().parent


class BenchArgon2(Argon2PasswordHasher):
    """argon2id at Latchkey's default cost (19 MiB, two passes, one lane)."""

    time_cost = 2
    memory_cost = 19456
    parallelism = 1


SECRET_KEY = "latchkey-bench-only-not-a-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "oauth2_provider",
]
MIDDLEWARE = []
ROOT_URLCONF = "benchurls"
DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE / "db.sqlite3"}
}
PASSWORD_HASHERS = ["benchsite.BenchArgon2"]
USE_TZ = True
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": (BASE / "rsa.pem").read_text() if (BASE / "rsa.pem").exists() else "",
    "SCOPES": {"openid": "OpenID", "profile": "Profile", "email": "Email"},
    "ACCESS_TOKEN_EXPIRE_SECONDS": 600,
    "ROTATE_REFRESH_TOKEN": True,
    "PKCE_REQUIRED": False,
}
