"""Privacy: the hashed suppression list, do-not-contact, erasure, legal basis and provenance.

Suppressed values are stored only as SHA-256 of the normalized value (lower-cased email, E.164
phone, lower-case domain), so the list keeps working after the person's data is erased.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from app.clean.email import check_email
from app.clean.phone import check_phone
from app.contact import Contact
from app.errors import InvalidFile, InvalidValue, NotFound
from app.store import history
from app.store.db import transaction, utc_now

KINDS = ("email", "phone", "domain")
DNC_REASONS = ("unsubscribed", "bounced", "requested", "manual")
DEFAULT_LEGAL_BASIS_KEY = "default_legal_basis"
MAX_SUPPRESSION_FILE = 200 * 1024 * 1024  # a list of hashes-to-be, not a contacts file
SUPPRESSED_FN = "leadsmith_suppressed"


@dataclass
class SuppressionImport:
    """What importing a suppression file did; every refused line is listed with its reason."""

    added: int = 0
    already: int = 0
    refused: list[tuple[int, str, str]] = field(default_factory=list)  # (line, value, reason)


@dataclass(frozen=True)
class SuppressionEntry:
    """One suppression row: the hash, never the value."""

    id: int
    kind: str
    hash: str
    reason: str
    origin: str
    user: str
    added_at: str


def sha256_hex(value: str) -> str:
    """The hex SHA-256 of a normalized value (UTF-8)."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def guess_kind(value: str) -> str:
    """email when it has an @ inside, phone when it is mostly digits, else domain."""
    text = value.strip()
    if "@" in text.lstrip("@"):
        return "email"
    digits = sum(ch.isdigit() for ch in text)
    if digits >= 6 and digits >= len(text.replace(" ", "")) // 2:
        return "phone"
    return "domain"


def normalize_value(kind: str, value: str, region: str) -> str:
    """The normalized form a suppression hash is taken of; InvalidValue when it cannot be read."""
    text = value.strip()
    if kind == "email":
        checked = check_email(text)
        if checked.value is None:
            raise InvalidValue(f"{text!r} is not an email address ({checked.reason})")
        return checked.value
    if kind == "phone":
        phone = check_phone(text, region)
        if phone.e164 is None:
            raise InvalidValue(f"{text!r} is not a phone number ({phone.reason})")
        return phone.e164
    if kind == "domain":
        domain = text.lower().lstrip("@").rstrip(".")
        domain = domain.removeprefix("http://").removeprefix("https://").split("/")[0]
        domain = domain.removeprefix("www.")
        if "." not in domain or any(ch in domain for ch in " @,;"):
            raise InvalidValue(f"{text!r} is not a domain such as example.com")
        return domain
    raise InvalidValue(f"unknown suppression kind {kind!r}; use one of {', '.join(KINDS)}")


def _domains_of(email: str) -> list[str]:
    """The email's domain and its parent domains (mail.acme.com → acme.com), never a bare TLD."""
    labels = email.rpartition("@")[2].split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)]


def add_suppression(
    conn: sqlite3.Connection,
    values: Iterable[tuple[str, str]],
    reason: str,
    user: str,
    origin: str = "manual",
) -> tuple[int, int]:
    """Add (kind, normalized value) pairs; returns (added, already there). Runs in the caller's
    transaction when there is one."""
    now = utc_now()
    added = already = 0
    for kind, value in values:
        cur = conn.execute(
            """INSERT OR IGNORE INTO suppression(kind, hash, reason, origin, user, added_at)
               VALUES (?, ?, ?, ?, ?, ?)""",
            (kind, sha256_hex(value), reason, origin, user, now),
        )
        if cur.rowcount:
            added += 1
        else:
            already += 1
    return added, already


def suppress_values(
    conn: sqlite3.Connection,
    raw_values: Sequence[str],
    reason: str,
    user: str,
    region: str,
    kind: str = "",
) -> tuple[int, int]:
    """Normalize and add values typed by hand (kind guessed when not given); all or nothing."""
    pairs = []
    for raw in raw_values:
        k = kind or guess_kind(raw)
        pairs.append((k, normalize_value(k, raw, region)))
    with transaction(conn):
        return add_suppression(conn, pairs, reason, user)


def _read_text(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_SUPPRESSION_FILE:
            raise InvalidFile(str(path), "the file is larger than 200 MB; split it first.")
        data = path.read_bytes()
    except FileNotFoundError:
        raise InvalidFile(str(path), "the file does not exist.") from None
    except IsADirectoryError:
        raise InvalidFile(str(path), "this is a folder, not a file.") from None
    except OSError as exc:
        raise InvalidFile(str(path), f"the file cannot be read ({exc.strerror}).") from None
    if b"\x00" in data[:4096]:
        raise InvalidFile(str(path), "this is a binary file, not a list of values.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _file_values(text: str, column: str) -> list[tuple[int, str, str]]:
    """(line, value, kind hint) from one value per line or from one column of a CSV."""
    lines = text.splitlines()
    first = lines[0] if lines else ""
    delimiter = next((d for d in (",", ";", "\t") if d in first), "")
    if not delimiter and not column:
        hint = first.strip().casefold() if first.strip().casefold() in KINDS else ""
        start = 1 if hint or first.strip().casefold() in ("value", "values") else 0
        return [(i + 1, line, hint) for i, line in enumerate(lines) if i >= start]
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter or ","))
    header = [h.strip().casefold() for h in rows[0]] if rows else []
    wanted = column.strip().casefold()
    if wanted:
        if wanted not in header:
            raise InvalidValue(f"no column {column!r}; the file has {', '.join(rows[0])}")
        index = header.index(wanted)
    else:
        index = next((i for i, h in enumerate(header) if h in KINDS or "mail" in h), 0)
    hint = next((k for k in KINDS if k in header[index]), "") if header else ""
    return [(n + 1, r[index] if index < len(r) else "", hint) for n, r in enumerate(rows) if n]


def import_suppression_file(
    conn: sqlite3.Connection,
    path: Path,
    reason: str,
    user: str,
    region: str,
    column: str = "",
    kind: str = "",
) -> SuppressionImport:
    """Add every value of a file (one per line, or a CSV column); unreadable lines are reported."""
    result = SuppressionImport()
    pairs: list[tuple[str, str]] = []
    for line, raw, hint in _file_values(_read_text(path), column):
        value = raw.strip()
        if not value or value.startswith("#"):
            continue
        k = kind or (hint if hint == guess_kind(value) else guess_kind(value))
        try:
            pairs.append((k, normalize_value(k, value, region)))
        except InvalidValue as exc:
            result.refused.append((line, value, str(exc)))
    with transaction(conn):
        result.added, result.already = add_suppression(
            conn, pairs, reason or f"imported from {path.name}", user, origin="file"
        )
    return result


def list_suppression(conn: sqlite3.Connection, limit: int | None = None) -> list[SuppressionEntry]:
    """The suppression list, newest first (hashes only)."""
    rows = conn.execute(
        "SELECT * FROM suppression ORDER BY id DESC LIMIT ?", (-1 if limit is None else limit,)
    ).fetchall()
    return [SuppressionEntry(*(r[k] for k in SuppressionEntry.__dataclass_fields__)) for r in rows]


def suppression_hashes(conn: sqlite3.Connection) -> dict[tuple[str, str], str]:
    """(kind, hash) -> reason, for checking many rows against a snapshot of the list."""
    return {(k, h): r for k, h, r in conn.execute("SELECT kind, hash, reason FROM suppression")}


def point_refusal(hashes: dict[tuple[str, str], str], kind: str, value: str | None) -> str | None:
    """ "suppressed (email)" etc. when a normalized email/phone (or its domain) is on the list."""
    if not value or not hashes:
        return None
    if kind == "email":
        if ("email", sha256_hex(value)) in hashes:
            return "suppressed (email)"
        if any(("domain", sha256_hex(d)) in hashes for d in _domains_of(value)):
            return "suppressed (domain)"
    elif kind == "phone" and ("phone", sha256_hex(value)) in hashes:
        return "suppressed (phone)"
    return None


def suppression_check(conn: sqlite3.Connection) -> Callable[[Contact], str | None]:
    """An import check refusing rows whose email, phone or email domain is suppressed."""
    hashes = suppression_hashes(conn)

    def check(contact: Contact) -> str | None:
        for p in contact.points:
            refusal = point_refusal(hashes, p.kind, p.value)
            if refusal:
                return refusal
        return None

    return check


def is_suppressed(conn: sqlite3.Connection, contact: Contact) -> str | None:
    """Why a contact must not be exported or contacted ("suppressed (email)", "do not contact…")."""
    if contact.do_not_contact:
        return "do not contact"
    return suppression_check(conn)(contact)


def register_suppressed_function(conn: sqlite3.Connection) -> None:
    """Make `leadsmith_suppressed(kind, value)` available in SQL on this connection, over a
    snapshot of the list taken now (call again after the list changes)."""
    hashes = suppression_hashes(conn)

    def suppressed(kind: object, value: object) -> str | None:
        return point_refusal(hashes, str(kind), value if isinstance(value, str) else None)

    conn.create_function(SUPPRESSED_FN, 2, suppressed, deterministic=True)


def exclusion_sql(conn: sqlite3.Connection, alias: str = "c") -> str:
    """A WHERE fragment keeping only contacts that may be contacted (not DNC, not suppressed)."""
    if not alias.isidentifier():
        raise ValueError(f"bad table alias {alias!r}")
    if not suppression_hashes(conn):
        # Nothing to match: skip hashing every point of the book in Python (4.7 s at 1M).
        return f"{alias}.do_not_contact = 0"
    register_suppressed_function(conn)
    return (
        f"{alias}.do_not_contact = 0 AND NOT EXISTS (SELECT 1 FROM contact_points sp "
        f"WHERE sp.contact_id = {alias}.id AND sp.value IS NOT NULL "
        f"AND {SUPPRESSED_FN}(sp.kind, sp.value) IS NOT NULL)"
    )


def suppressed_contact_ids(conn: sqlite3.Connection) -> set[int]:
    """Every contact an export must leave out: do-not-contact or matching the suppression list."""
    where = exclusion_sql(conn)
    return {r[0] for r in conn.execute(f"SELECT c.id FROM contacts c WHERE NOT ({where})")}


# -- do not contact ------------------------------------------------------------------------------
def set_do_not_contact(
    conn: sqlite3.Connection, ids: Sequence[int], reason: str, user: str, on: bool = True
) -> int:
    """Flag (or clear) do-not-contact with a reason code; one undoable operation."""
    if on and reason not in DNC_REASONS:
        raise InvalidValue(f"unknown reason {reason!r}; use one of {', '.join(DNC_REASONS)}")
    now = utc_now()
    flag, why = (1, reason) if on else (0, "")
    changed = 0
    with transaction(conn):
        verb = "Mark" if on else "Clear"
        op = history.begin_op(conn, "dnc", f"{verb} do not contact on {len(ids)} contact(s)", user)
        for cid in ids:
            row = conn.execute(
                "SELECT do_not_contact, dnc_reason, updated_at FROM contacts WHERE id = ?", (cid,)
            ).fetchone()
            if row is None:
                raise NotFound(f"no contact with id {cid}")
            if (row[0], row[1]) == (flag, why):
                continue
            before = {"do_not_contact": row[0], "dnc_reason": row[1], "updated_at": row[2]}
            after = {"do_not_contact": flag, "dnc_reason": why, "updated_at": now}
            history.record(conn, op, "contacts", cid, before, after)
            conn.execute(
                "UPDATE contacts SET do_not_contact = ?, dnc_reason = ?, updated_at = ? WHERE id = ?",
                (flag, why, now, cid),
            )
            changed += 1
    return changed


# -- legal basis and provenance ------------------------------------------------------------------
def apply_default_legal_basis(
    conn: sqlite3.Connection, import_id: int, contact_ids: Sequence[int], basis: str
) -> int:
    """Inside an import's transaction: give its contacts with no legal basis the book's default.
    Contacts the import created are undone with it; for merged ones the change is recorded."""
    if not basis:
        return 0
    conn.execute(
        "UPDATE imports SET legal_basis = ? WHERE id = ? AND legal_basis = ''", (basis, import_id)
    )
    op = conn.execute("SELECT id FROM operations WHERE import_id = ?", (import_id,)).fetchone()
    filled = 0
    for cid in contact_ids:
        row = conn.execute(
            "SELECT import_id FROM contacts WHERE id = ? AND legal_basis = ''", (cid,)
        ).fetchone()
        if row is None:
            continue
        if row[0] != import_id and op is not None:
            history.record(
                conn, op[0], "contacts", cid, {"legal_basis": ""}, {"legal_basis": basis}
            )
        conn.execute("UPDATE contacts SET legal_basis = ? WHERE id = ?", (basis, cid))
        filled += 1
    return filled


def provenance(conn: sqlite3.Connection, contact_id: int) -> list[dict[str, object]]:
    """Every source row of a contact (and of contacts merged into it): file, row, import date,
    user, source label and legal basis."""
    if conn.execute("SELECT 1 FROM contacts WHERE id = ?", (contact_id,)).fetchone() is None:
        raise NotFound(f"no contact with id {contact_id}")
    rows = conn.execute(
        """WITH RECURSIVE fam(id) AS (
               SELECT ? UNION SELECT c.id FROM contacts c JOIN fam ON c.merged_into = fam.id)
           SELECT s.contact_id, s.import_id, i.file_name, s.row_number, s.action, i.started_at,
                  i.user, i.source_label, i.legal_basis, c.legal_basis, c.collected_at, i.format
           FROM contact_sources s JOIN fam ON fam.id = s.contact_id
           JOIN imports i ON i.id = s.import_id JOIN contacts c ON c.id = s.contact_id
           ORDER BY s.id""",
        (contact_id,),
    ).fetchall()
    return [
        {
            "contact_id": r[0],
            "import_id": r[1],
            "file": r[2],
            "row": r[3],
            "action": r[4],
            "imported_at": r[5],
            "user": r[6],
            "source": r[7],
            "legal_basis": r[8] or r[9],
            "collected_at": r[10],
            "format": r[11],
        }
        for r in rows
    ]


def contact_history(conn: sqlite3.Connection, contact_id: int) -> list[dict[str, object]]:
    """Every recorded change touching a contact (its row, points, tags, lists), oldest first."""
    rows = conn.execute(
        """SELECT o.id, o.kind, o.label, o.user, o.at, o.undone_at, ch.table_name, ch.row_id,
                  ch.before, ch.after
           FROM changes ch JOIN operations o ON o.id = ch.op_id
           WHERE (ch.table_name IN ('contacts', 'contact_tags', 'list_members') AND ch.row_id = ?)
              -- a contact merged into this one, and the points a merge moved here
              OR (ch.table_name = 'contacts' AND json_extract(ch.after, '$.merged_into') = ?)
              OR (ch.table_name = 'contact_points'
                  AND (json_extract(ch.before, '$.contact_id') = ?
                       OR json_extract(ch.after, '$.contact_id') = ?
                       OR (json_extract(ch.before, '$.contact_id') IS NULL
                           AND json_extract(ch.after, '$.contact_id') IS NULL
                           AND (SELECT p.contact_id FROM contact_points p WHERE p.id = ch.row_id)
                               = ?)))
           ORDER BY ch.id""",
        (contact_id, contact_id, contact_id, contact_id, contact_id),
    ).fetchall()
    out: list[dict[str, object]] = [
        {
            "op_id": r[0],
            "kind": r[1],
            "label": r[2],
            "user": r[3],
            "at": r[4],
            "undone": r[5] is not None,
            "table": r[6],
            "row_id": r[7],
            "before": None if r[8] is None else json.loads(r[8]),
            "after": None if r[9] is None else json.loads(r[9]),
        }
        for r in rows
    ]
    # Imports that added or merged into the contact record no per-row change: list them too.
    for op_id, kind, label, user, at, undone, action, import_id in conn.execute(
        """SELECT o.id, o.kind, o.label, o.user, o.at, o.undone_at, s.action, s.import_id
           FROM contact_sources s JOIN operations o ON o.import_id = s.import_id
           WHERE s.contact_id = ? AND s.action = 'added'""",
        (contact_id,),
    ):
        out.append(
            {
                "op_id": op_id,
                "kind": kind,
                "label": label,
                "user": user,
                "at": at,
                "undone": undone is not None,
                "table": "contacts",
                "row_id": contact_id,
                "before": None,
                "after": {"action": action, "import_id": import_id},
            }
        )
    return sorted(out, key=lambda d: int(str(d["op_id"])))
