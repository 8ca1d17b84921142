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


# Common passwords: the words people build "strong" passwords from (Admin@123, P@ssw0rd, Qwer1234!),
# compared after undoing letter-for-symbol swaps and dropping digits and symbols around the word.
# The words of the hospital's own context (tijian, yiyuan, hospital) are included: guessers try them first.
COMMON_WORDS = frozenset("""
admin administrator root system sysadmin manager password passwd pass pwd passw0rd welcome hello
letmein login qwerty qwert qwer asdf asdfgh zxcv zxcvbn qazwsx abc abcd abcde abcdef test test
user guest default master super superuser changeme secret iloveyou love monkey dragon sunshine
football baseball princess china beijing shanghai hospital yiyuan tijian checkup doctor nurse
huanying mima woaini aini wang zhang li liu chen yang zhao huang zhou wu
""".split())
_UNLEET = str.maketrans({"@": "a", "4": "a", "0": "o", "1": "i", "!": "i", "3": "e", "$": "s", "5": "s",
                         "7": "t", "+": "t"})
_EDGES = re.compile(r"^[^a-z]+|[^a-z]+$")


def is_common(password: str) -> bool:
    """True for a password that is a common word (or a keyboard run) dressed with case, digits, symbols."""
    lowered = password.lower()
    stripped = _EDGES.sub("", lowered)
    for candidate in (stripped, _EDGES.sub("", stripped.translate(_UNLEET)), _EDGES.sub("", lowered.translate(_UNLEET))):
        core = re.sub(r"[^a-z]", "", candidate)
        if not core or core in COMMON_WORDS or len(set(core)) <= 2:
            return True
    digits = re.sub(r"\D", "", password)
    return len(set(lowered)) <= 3 or (len(digits) >= len(password) - 2 and len(set(digits)) <= 4)


def check_password(password: str) -> None:
    """Raise WeakPassword unless the password has >= 8 characters of at least three kinds and is not a
    common password."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"密码至少{MIN_LENGTH}位", field="password")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"密码不能超过{MAX_LENGTH}位", field="password")
    if character_classes(password) < MIN_CLASSES:
        raise WeakPassword(field="password")
    if is_common(password):
        raise WeakPassword("密码过于常见（如 Admin@123、P@ssw0rd），请换一个不易猜到的密码", field="password")
