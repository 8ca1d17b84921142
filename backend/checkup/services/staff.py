"""Staff accounts: argon2 hashes, the first admin."""

from __future__ import annotations

import secrets
import string

from argon2 import PasswordHasher

from checkup.db.models import StaffUser

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def generate_password(length: int = 16) -> str:
    """A random password that satisfies the policy (upper, lower, digit, symbol)."""
    alphabet = string.ascii_letters + string.digits + "!@#%^*-_=+"
    while True:
        pw = "".join(secrets.choice(alphabet) for _ in range(length))
        if (
            any(c.islower() for c in pw)
            and any(c.isupper() for c in pw)
            and any(c.isdigit() for c in pw)
            and any(not c.isalnum() for c in pw)
        ):
            return pw


async def ensure_admin(*, password: str | None) -> str | None:
    """Create the first admin when no staff account exists; answers the password when generated."""
    if await StaffUser.exists():
        return None
    generated = None
    if not password:
        password = generated = generate_password()
    await StaffUser.create(
        username="admin", name="系统管理员", password_hash=hash_password(password), roles=["admin"]
    )
    return generated or ""
