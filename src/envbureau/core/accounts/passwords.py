"""Passwords: argon2 hashes, one answer time for every name, and the rules a new password meets.

Rules (docs/security.md, codes ``user.password_*``): at least ``MIN_PASSWORD_LENGTH`` characters,
letters and digits both, the user name not counting towards the length, and not one of the
common or published passwords below (the demo's passwords are printed in the README, so they
are published and no real account may take them).
"""

from __future__ import annotations

import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from envbureau.core.errors import RuleViolation

hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 10
#: What remains of a password once the user name is taken out of it.
MIN_LENGTH_WITHOUT_USERNAME = 8

#: Passwords people choose first, and the demo's published ones (compared in lower case).
COMMON_PASSWORDS = frozenset(
    {
        "1234567890",
        "12345678910",
        "0123456789",
        "1q2w3e4r5t",
        "1qaz2wsx3edc",
        "qwerty12345",
        "qwertyuiop1",
        "password01",
        "password123",
        "password1234",
        "passw0rd123",
        "admin12345",
        "admin123456",
        "administrator1",
        "abc1234567",
        "abcd123456",
        "a123456789",
        "aa12345678",
        "woaini1314",
        "iloveyou123",
        "zxcvbnm123",
        "asdfghjkl1",
        "changeme123",
        "welcome123",
        "p@ssw0rd123",
        "huanbao123456",
        "hbj123456789",
        "sthj123456",
        "demo-admin-2026",
        "demo-leader-2026",
        "demo-air-2026",
        "demo-branch-2026",
        "demo-grid-2026",
        "demo-viewer-2026",
    }
)


def hash_password(password: str) -> str:
    return hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _dummy_hash() -> str:
    return hasher.hash(secrets.token_urlsafe(16))


def burn_verification(password: str) -> None:
    """Spend the time of one real check (an unknown name, a locked account, a throttled
    address), so the answer time does not tell which names exist."""
    verify_password(_dummy_hash(), password)


def is_published(password: str) -> bool:
    """A password anyone can look up (the demo's, or a most common one)."""
    return password.strip().lower() in COMMON_PASSWORDS


def check_rules(password: str, *, username: str) -> None:
    """Refuse a new password that breaks a rule, naming the rule."""
    loc = ("password",)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise RuleViolation(
            f"密码至少 {MIN_PASSWORD_LENGTH} 位", code="user.password_short", loc=loc
        )
    if not any(c.isalpha() for c in password) or not any(c.isdigit() for c in password):
        raise RuleViolation("密码须同时含有字母和数字", code="user.password_simple", loc=loc)
    name = username.strip().lower()
    rest = password.lower().replace(name, "") if len(name) >= 2 else password
    if len(rest) < MIN_LENGTH_WITHOUT_USERNAME:
        raise RuleViolation(
            f"密码不能只是用户名加几个字符（去掉用户名后至少 {MIN_LENGTH_WITHOUT_USERNAME} 位）",
            code="user.password_username",
            loc=loc,
        )
    if is_published(password):
        raise RuleViolation(
            "该密码过于常见或已公开，请换一个", code="user.password_common", loc=loc
        )


def one_time_password() -> str:
    """A password an administrator hands over, to be changed at the next sign-in."""
    while True:
        candidate = secrets.token_urlsafe(9)  # 12 characters, 72 bits
        if any(c.isalpha() for c in candidate) and any(c.isdigit() for c in candidate):
            return candidate
