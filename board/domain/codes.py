"""Join codes and secret links.

A join code has 7 characters from an alphabet without look-alikes (no 0/O, 1/I/L, U):
30^7 ≈ 2^34 codes. Secret links are 192-bit random tokens.
"""

import hashlib
import re
import secrets

JOIN_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
JOIN_CODE_LENGTH = 7
TOKEN_BYTES = 24


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """What is stored of a secret token (an invitation link's, a login's): its SHA-256."""
    return hashlib.sha256(token.encode()).hexdigest()


def normalize_join_code(typed: str) -> str:
    """The code as stored: spaces and dashes dropped, upper case."""
    return re.sub(r"[\s\-]", "", typed or "").upper()


def format_join_code(code: str) -> str:
    """The code as shown: in two groups, easy to read aloud ('ABC DEFG')."""
    return f"{code[:3]} {code[3:]}"
