"""The password hash's cost is the configured one; hashes of another cost still work and move to it."""

from __future__ import annotations

from django.contrib.auth.hashers import check_password, identify_hasher, make_password

from zhiren.accounts.hashers import ConfiguredPBKDF2PasswordHasher

CONFIGURED = ["zhiren.accounts.hashers.ConfiguredPBKDF2PasswordHasher"]


def _iterations(encoded: str) -> int:
    return int(encoded.split("$")[1])


def test_new_hashes_use_the_configured_count(settings):
    settings.PASSWORD_HASHERS = CONFIGURED
    settings.PASSWORD_PBKDF2_ITERATIONS = 1234
    encoded = make_password("s3cret-Passw0rd")
    assert encoded.startswith("pbkdf2_sha256$1234$")
    assert isinstance(identify_hasher(encoded), ConfiguredPBKDF2PasswordHasher)
    assert check_password("s3cret-Passw0rd", encoded) and not check_password("wrong", encoded)


def test_a_hash_of_another_count_verifies_and_is_rehashed_at_login(settings, django_user_model, client):
    settings.PASSWORD_HASHERS = CONFIGURED
    settings.PASSWORD_PBKDF2_ITERATIONS = 1500
    old = ConfiguredPBKDF2PasswordHasher().encode("s3cret-Passw0rd", "fixedsalt1234567", iterations=3000)
    user = django_user_model.objects.create(username="lin", password=old)
    response = client.post("/accounts/login/", {"username": "lin", "password": "s3cret-Passw0rd"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert _iterations(old) == 3000 and _iterations(user.password) == 1500
    rehashed = user.password
    client.logout()
    assert client.post("/accounts/login/", {"username": "lin", "password": "s3cret-Passw0rd"}).status_code == 302
    user.refresh_from_db()
    assert user.password == rehashed  # at the configured count: not hashed again


def test_production_default_is_owasp_2023(monkeypatch):
    """Unset, the count is 600,000 (OWASP's 2023 figure for PBKDF2-HMAC-SHA256), not Django's 1,000,000."""
    import importlib

    import zhiren.settings as production

    monkeypatch.delenv("PASSWORD_PBKDF2_ITERATIONS", raising=False)
    assert importlib.reload(production).PASSWORD_PBKDF2_ITERATIONS == 600_000
    assert production.PASSWORD_HASHERS[0] == "zhiren.accounts.hashers.ConfiguredPBKDF2PasswordHasher"
