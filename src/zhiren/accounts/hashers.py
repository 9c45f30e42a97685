"""Password hashing at a cost chosen against the lockout, not the library's default.

The login lockout (``LOGIN_LOCKOUT_THRESHOLD`` failures per normalised username and client
address, then ``LOGIN_LOCKOUT_MINUTES`` of refusal) bounds online guessing, so the hash's cost
only has to protect a stolen database. PBKDF2-SHA256 at 600,000 iterations is OWASP's 2023
figure for that; Django 5.2's default of 1,000,000 costs 0.43 s of CPU per login on a 2-core
server, which queues logins at the start of a shift (a median of 2.5–3.6 s with 10–50 people
arriving). ``PASSWORD_PBKDF2_ITERATIONS`` sets it; a stored hash of another count still
verifies and is re-hashed at the configured count on the user's next login.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher


class ConfiguredPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """Django's ``pbkdf2_sha256`` (same stored format), at ``settings.PASSWORD_PBKDF2_ITERATIONS``."""

    # A setting read per call instead of Django's class constant.
    @property
    def iterations(self) -> int:  # type: ignore[override]  # the base class declares a plain attribute
        return int(settings.PASSWORD_PBKDF2_ITERATIONS)
