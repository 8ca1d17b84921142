"""The staff password policy (the console checks the same rule in src/utils/password.ts)."""

from __future__ import annotations

import re

from checkup.domain.errors import WeakPassword

MIN_LENGTH = 8
MAX_LENGTH = 128  # argon2 hashes any length; a cap keeps a login request cheap
MIN_CLASSES = 3
# Symbols are ASCII punctuation, so a Chinese character counts as none of the four kinds.
_CLASSES = (re.compile(r"[A-Z]"), re.compile(r"[a-z]"), re.compile(r"[0-9]"), re.compile(r"[!-/:-@\[-`{-~]"))


def character_classes(password: str) -> int:
    return sum(1 for pattern in _CLASSES if pattern.search(password))


def check_password(password: str) -> None:
    """Raise WeakPassword unless the password has >= 8 characters of at least three kinds."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"密码至少{MIN_LENGTH}位", field="password")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"密码不能超过{MAX_LENGTH}位", field="password")
    if character_classes(password) < MIN_CLASSES:
        raise WeakPassword(field="password")
