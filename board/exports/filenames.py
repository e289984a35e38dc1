"""Safe download names: pupil alias and date, accents kept where the browser allows them."""

import re
import unicodedata
from urllib.parse import quote

from board.services.summary import GroupPlanEntry

UNSAFE = re.compile(r"[^\w]+")  # anything but letters and digits: path characters included
NOT_ASCII_SAFE = re.compile(r"[^A-Za-z0-9.]+")


def name_part(text: str, fallback: str) -> str:
    """Letters and digits (accented ones too) joined by '-'; never '/', '\\', '..' or quotes."""
    part = UNSAFE.sub("-", unicodedata.normalize("NFC", text)).strip("-_")
    return part or fallback


def filename(entry: GroupPlanEntry, extension: str) -> str:
    """For example 'groepsplan-Zoë-2025-03-14.docx'."""
    alias = name_part(entry.pupil, "leerling")
    return f"groepsplan-{alias}-{entry.date.isoformat()}.{extension}"


def ascii_name(name: str) -> str:
    """The name for browsers that ignore filename*: accents dropped ('Zoë' becomes 'Zoe')."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return NOT_ASCII_SAFE.sub("-", plain).strip("-.")


def content_disposition(name: str) -> str:
    """An attachment header with an ASCII fallback and the UTF-8 name (RFC 6266)."""
    return f"attachment; filename=\"{ascii_name(name)}\"; filename*=UTF-8''{quote(name, safe='')}"
