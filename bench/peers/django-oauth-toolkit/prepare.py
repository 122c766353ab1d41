"""Makes a fresh database: one user, a client-credentials client and a password-grant client."""
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchsite")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from oauth2_provider.models import Application  # noqa: E402

call_command("migrate", verbosity=0)
User.objects.create_user("bench", "bench@example.org", "a benchmark passphrase")
for client_id, grant in [
    ("bench-cc", Application.GRANT_CLIENT_CREDENTIALS),
    ("bench-password", Application.GRANT_PASSWORD),
]:
    Application.objects.create(
        client_id=client_id,
        client_secret="bench-secret-bench-secret-bench-secret",
        hash_client_secret=False,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=grant,
        name=client_id,
        algorithm=Application.RS256_ALGORITHM,
    )
