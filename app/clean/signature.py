"""Split a pasted email signature or a profile's contact section into fields, for review.

The result is a RawRecord like any importer's (column "Pasted text"): the contact form shows it,
the user corrects it, and the book cleans it. Nothing pasted is dropped: text that fits no field
(an address line, a slogan) is kept in extra under "Other text", a fax number under "Fax".
"""

from __future__ import annotations

import re

from app.clean.title import classify_title
from app.contact import RawRecord

COLUMN = "Pasted text"
_SEPARATORS = re.compile(r"\s+[|·•–—]\s+|\s+[|·•]|[|·•]\s+")
_EMAIL = re.compile(r"(?:mailto:)?([\w.+'-]+@[\w-]+(?:\.[\w-]+)+)", re.UNICODE)
_URL = re.compile(r"^(?:https?://|www\.)\S+$|^(?:[\w-]+\.)*linkedin\.com/\S+$", re.IGNORECASE)
_LINKEDIN = re.compile(r"linkedin\.com/in/", re.IGNORECASE)
_PHONE_LABEL = re.compile(
    r"^(?P<label>t|tel|tél|telefon|telephone|téléphone|teléfono|tfno|phone|p|o|office|direct|"
    r"dw|m|mob|mobile|mobil|handy|cell|portable|móvil|movil|celular|f|fax)\.?\s*[:.]?\s*"
    r"(?P<number>[+(0-9].*)$",
    re.IGNORECASE,
)
_MOBILE_LABELS = frozenset(
    {"m", "mob", "mobile", "mobil", "handy", "cell", "portable", "móvil", "movil", "celular"}
)
_BARE_PHONE = re.compile(r"^\+?[0-9][0-9 ()./-]{5,}[0-9](?:\s*\((?P<kind>[^)]*)\))?$")
_EMAIL_LABEL = re.compile(r"^(?:e-?mail|mail|courriel|correo|e)\s*[:.]\s*", re.IGNORECASE)
_WEB_LABEL = re.compile(r"^(?:web|website|site|url|internet)\s*[:.]\s*", re.IGNORECASE)
_TRAILING_NOTE = re.compile(r"\s*\((?:personal|work|home|mobile|company|other)\)$", re.I)
_AT = re.compile(r"\s+(?:at|@|bei|chez|en)\s+", re.IGNORECASE)
_LEGAL_SUFFIX = re.compile(
    r"(?:^|\s)(?:ltd\.?|limited|inc\.?|llc|llp|plc|corp\.?|corporation|co\.|gmbh|ag|kg|ug|se|"
    r"sa|s\.a\.|sas|sarl|s\.l\.|sl|s\.r\.l\.|srl|spa|s\.p\.a\.|bv|b\.v\.|nv|pty|oy|ab|as)$",
    re.IGNORECASE,
)
_SIGN_OFFS = re.compile(
    r"^(?:best|kind|warm)?\s*(?:regards|wishes)|^cheers|^thanks|^thank you|^sincerely|^--+$|"
    r"^mit freundlichen grüßen|^viele grüße|^beste grüße|^grüße|^cordialement|^bien à vous|"
    r"^salutations|^(?:un )?saludo|^saludos|^atentamente|^un cordial saludo",
    re.IGNORECASE,
)
_HEADINGS = frozenset(
    {"contact info", "contact", "email", "e-mail", "phone", "website", "websites", "address",
     "birthday", "connected", "profile", "kontakt", "coordonnées", "contacto"}
)  # fmt: skip
_NAME_PARTICLES = frozenset(
    {"de", "del", "della", "van", "von", "der", "da", "di", "la", "le", "y"}
)
_PREFIXES = frozenset({"dr.", "dr", "prof.", "mr.", "mrs.", "ms.", "mme", "m.", "sr.", "sra."})


def looks_like_name(text: str) -> bool:
    """True for 2–5 capitalized words without digits or @ ("Dr. Ana María López")."""
    if any(ch.isdigit() for ch in text) or "@" in text or ":" in text:
        return False
    words = text.split()
    if not 1 < len(words) <= 5:
        return False
    for word in words:
        if word.casefold() in _NAME_PARTICLES or word.casefold() in _PREFIXES:
            continue
        first = word[0]
        # Upper case, or a letter of a script without case (CJK names).
        if not (first.isupper() or (first.isalpha() and not first.islower())):
            return False
    return True


def is_title(text: str) -> bool:
    """True when the job-title rules read a seniority or a department in the text."""
    info = classify_title(text)
    return bool(info.seniority or info.department)


def is_company(text: str) -> bool:
    """True when the text ends with a legal form (Ltd, GmbH, SAS, S.L., Inc…)."""
    return bool(_LEGAL_SUFFIX.search(text.strip().rstrip(",")))


def _segments(text: str) -> list[str]:
    out: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or _SIGN_OFFS.match(line):
            continue
        for part in _SEPARATORS.split(line):
            part = part.strip().strip(",;")
            if part:
                out.append(part)
    return out


class _Reader:
    """The fields found so far; text segments are resolved after the contact details."""

    def __init__(self, text: str) -> None:
        self.rec = RawRecord(row=0, raw={COLUMN: text})
        self.texts: list[str] = []
        self.leftovers: list[str] = []

    def add(self, field_name: str, value: str) -> None:
        self.rec.add(field_name, COLUMN, value.strip())

    def detail(self, segment: str) -> bool:
        """Read an email, URL or phone segment; False when it is plain text."""
        seg = _TRAILING_NOTE.sub("", segment)
        emails = _EMAIL.findall(seg)
        if emails and (_EMAIL_LABEL.match(seg) or _EMAIL.fullmatch(seg.strip())):
            for address in emails:
                self.add("email", address)
            return True
        url = _WEB_LABEL.sub("", seg)
        if _URL.match(url):
            self.add("linkedin_url" if _LINKEDIN.search(url) else "website", url)
            return True
        labelled = _PHONE_LABEL.match(seg)
        if labelled and sum(ch.isdigit() for ch in labelled["number"]) >= 6:
            label = labelled["label"].casefold()
            number = labelled["number"].strip()
            if label in ("f", "fax"):
                self.rec.extra["Fax"] = number
            else:
                self.add("mobile_phone" if label in _MOBILE_LABELS else "phone", number)
            return True
        bare = _BARE_PHONE.match(segment.strip())
        if bare:
            kind = (bare["kind"] or "").casefold()
            number = segment.strip().split(" (")[0]
            self.add("mobile_phone" if kind in _MOBILE_LABELS else "phone", number)
            return True
        return False

    def text(self, segment: str) -> None:
        low = segment.casefold()
        if low in _HEADINGS or low.endswith("'s profile") or low.endswith("’s profile"):
            return  # a profile page's own headings, not the person's details
        self.texts.append(segment)

    def resolve(self) -> RawRecord:
        """Give the text segments to name, title and company, in the order they were pasted."""
        name = title = company = ""
        for seg in self.texts:
            head, _, tail = seg.partition(", ")
            if tail and not name and looks_like_name(head) and is_title(tail):
                name, seg = head, tail  # "Tom Brown, CFO @ Initech LLC"
            parts = _AT.split(seg, maxsplit=1)
            if len(parts) == 2 and not title and not company and is_title(parts[0]):
                title, company = parts[0].strip(), parts[1].strip()
                continue
            if not company and is_company(seg):
                company = seg
            elif not name and looks_like_name(seg) and not is_title(seg):
                name = seg
            elif not title and is_title(seg):
                title = seg
            elif not company and name and title and len(seg.split()) <= 4:
                company = seg  # "Hooli": a short line after name and title names the employer
            else:
                self.leftovers.append(seg)
        for field_name, value in (("full_name", name), ("job_title", title), ("company", company)):
            if value:
                self.add(field_name, value)
        if self.leftovers:
            self.rec.extra["Other text"] = " / ".join(self.leftovers)
        return self.rec


def parse_text(text: str) -> RawRecord:
    """A pasted signature or profile contact section as a RawRecord of fields, for review."""
    reader = _Reader(text)
    for segment in _segments(text):
        if not reader.detail(segment):
            reader.text(segment)
    return reader.resolve()
