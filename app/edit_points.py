"""Editing a contact's primary email/phone and its company, undoable and redoable.

These live outside the `contacts` row (contact_points, companies), so update_contact cannot change
them. Each function writes inside the caller's transaction and logs every row it touches, before
and after, so the generic history undoes and redoes it (app/store/history.py).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from app.clean.company import normalize_company
from app.clean.country import normalize_country
from app.clean.email import check_email
from app.clean.phone import check_phone
from app.errors import InvalidValue, NotFound
from app.privacy import point_refusal, suppression_hashes
from app.store import history
from app.store.contacts import refresh_fts
from app.store.db import utc_now

POINT_KINDS: frozenset[str] = frozenset({"email", "phone"})


@dataclass(frozen=True)
class PointEdit:
    """What set_point did: the point written (None when cleared) and what validation said."""

    contact_id: int
    kind: str
    point_id: int | None
    raw: str
    value: str | None  # the normalized key (lower-cased email, E.164); None when invalid
    status: str  # valid | risky | invalid ("" when the point was removed)
    reason: str
    also_on: int | None  # another live contact with the same email (a warning, not a refusal)
    changed: bool  # False when the value was already there (nothing recorded)


@dataclass(frozen=True)
class CompanyEdit:
    """What set_company did: the company now linked (None when cleared), and whether it is new."""

    contact_id: int
    company_id: int | None
    name: str
    created: bool
    changed: bool


def _live_contact(conn: sqlite3.Connection, contact_id: int) -> sqlite3.Row:
    row = conn.execute(
        "SELECT id, country, company_id, updated_at, merged_into, deleted_at FROM contacts "
        "WHERE id = ?",
        (contact_id,),
    ).fetchone()
    if row is None or row["merged_into"] is not None or row["deleted_at"] is not None:
        raise NotFound(f"no contact with id {contact_id}")
    return row


def _shown_point(
    conn: sqlite3.Connection, contact_id: int, kind: str, replace: str | None
) -> sqlite3.Row | None:
    """The point an edit replaces: the one whose text is `replace`, else the one the table shows."""
    # The same order as fetch_rows, so the cell a user edits is the point that changes.
    rows = conn.execute(
        """SELECT * FROM contact_points WHERE contact_id = ? AND kind = ?
           ORDER BY status = 'invalid', is_primary DESC, id""",
        (contact_id, kind),
    ).fetchall()
    if replace is None:
        return rows[0] if rows else None
    wanted = replace.strip()
    for r in rows:
        if wanted in (r["value"], r["raw"]):
            return r
    raise NotFound(f"contact #{contact_id} has no {kind} {wanted!r} any more")


def _touch_contact(conn: sqlite3.Connection, op: int, contact: sqlite3.Row, **cols: object) -> None:
    """Update the contact row's columns and updated_at, logged (its updated_at moves with the edit)."""
    before = {k: contact[k] for k in cols}
    after = dict(cols)
    before["updated_at"], after["updated_at"] = contact["updated_at"], utc_now()
    history.record(conn, op, "contacts", contact["id"], before, after)
    sets = ", ".join(f"{k} = ?" for k in after)  # keys are this module's literals, never input
    conn.execute(f"UPDATE contacts SET {sets} WHERE id = ?", [*after.values(), contact["id"]])


def also_on(conn: sqlite3.Connection, contact_id: int, email: str) -> int | None:
    """The first other live contact holding this normalized email, if any."""
    row = conn.execute(
        """SELECT p.contact_id FROM contact_points p JOIN contacts c ON c.id = p.contact_id
           WHERE p.kind = 'email' AND p.value = ? AND p.contact_id != ?
             AND c.merged_into IS NULL AND c.deleted_at IS NULL
           ORDER BY p.contact_id LIMIT 1""",
        (email, contact_id),
    ).fetchone()
    return None if row is None else int(row[0])


def set_point(
    conn: sqlite3.Connection,
    contact_id: int,
    kind: str,
    raw: str,
    *,
    replace: str | None = None,
    user: str = "",
    default_region: str = "US",
) -> PointEdit:
    """Set a contact's shown email/phone to `raw` (empty text removes it), cleaned as import does.

    An invalid value is kept as typed with its status and reason; the exact-duplicate key
    (`value`) follows the new text. Call inside a transaction."""
    if kind not in POINT_KINDS:
        raise InvalidValue(f"cannot edit a {kind!r} point; use email or phone")
    contact = _live_contact(conn, contact_id)
    text = raw.strip()
    old = _shown_point(conn, contact_id, kind, replace)
    if not text:
        if old is None:
            return PointEdit(contact_id, kind, None, "", None, "", "", None, False)
        op = history.begin_op(conn, "edit", f"Remove {kind} of contact #{contact_id}", user)
        history.record(conn, op, "contact_points", old["id"], dict(old), None)
        conn.execute("DELETE FROM contact_points WHERE id = ?", (old["id"],))
        _touch_contact(conn, op, contact)
        refresh_fts(conn, [contact_id])
        return PointEdit(contact_id, kind, None, "", None, "", "", None, True)
    if kind == "email":
        email = check_email(text)
        value, status, reason = email.value, email.status, email.reason
    else:
        # The contact's own country decides how a national number reads, as on import.
        region = normalize_country(contact["country"] or "") or default_region
        phone = check_phone(text, region)
        value, status, reason = phone.e164, phone.status, phone.reason
    refusal = point_refusal(suppression_hashes(conn), kind, value)
    if refusal is not None:
        # As on import and hand entry: a suppressed person's details are never taken back in.
        what = {"suppressed (domain)": f"the domain of {text}"}.get(refusal, text)
        raise InvalidValue(
            f"{what} is on the suppression list: this person asked not to be contacted, "
            f"so the {kind} was not saved"
        )
    other = also_on(conn, contact_id, value) if kind == "email" and value else None
    new: dict[str, object] = {"raw": text, "value": value, "status": status, "reason": reason}
    if old is not None and all(old[k] == v for k, v in new.items()):
        return PointEdit(contact_id, kind, old["id"], text, value, status, reason, other, False)
    op = history.begin_op(conn, "edit", f"Edit {kind} of contact #{contact_id}", user)
    # An invalid value is never the primary (as on import); a usable one takes over from the rest.
    primary = status != "invalid"
    if primary:
        for p in conn.execute(
            "SELECT id FROM contact_points WHERE contact_id = ? AND kind = ? AND is_primary = 1",
            (contact_id, kind),
        ).fetchall():
            if old is None or p[0] != old["id"]:
                owner = {"contact_id": contact_id}
                history.record(
                    conn,
                    op,
                    "contact_points",
                    p[0],
                    {**owner, "is_primary": 1},
                    {**owner, "is_primary": 0},
                )
                conn.execute("UPDATE contact_points SET is_primary = 0 WHERE id = ?", (p[0],))
    if old is None:
        cur = conn.execute(
            """INSERT INTO contact_points(contact_id, kind, raw, value, label, is_primary, status,
                   reason, import_id) VALUES (?, ?, ?, ?, 'work', ?, ?, ?, NULL)""",
            (contact_id, kind, text, value, int(primary), status, reason),
        )
        point_id = int(cur.lastrowid or 0)
        row = conn.execute("SELECT * FROM contact_points WHERE id = ?", (point_id,)).fetchone()
        history.record(conn, op, "contact_points", point_id, None, dict(row))
    else:
        point_id = int(old["id"])
        new["is_primary"] = int(primary)
        # contact_id rides along unchanged: erasure finds a point's history by it even after the
        # point itself is gone (app/privacy_erase.py).
        moved = [k for k in new if old[k] != new[k]]
        before = {"contact_id": contact_id, **{k: old[k] for k in moved}}
        after = {"contact_id": contact_id, **{k: new[k] for k in moved}}
        history.record(conn, op, "contact_points", point_id, before, after)
        sets = ", ".join(f"{k} = ?" for k in after)  # keys are the literals of `new`
        conn.execute(f"UPDATE contact_points SET {sets} WHERE id = ?", [*after.values(), point_id])
    _touch_contact(conn, op, contact)
    refresh_fts(conn, [contact_id])
    return PointEdit(contact_id, kind, point_id, text, value, status, reason, other, True)


def set_company(
    conn: sqlite3.Connection, contact_id: int, name: str, *, user: str = ""
) -> CompanyEdit:
    """Link a contact to the company of that (normalized) name, creating it if there is none.

    Empty text unlinks the company; the company itself is kept. Call inside a transaction."""
    contact = _live_contact(conn, contact_id)
    text = " ".join(name.split())
    company_id: int | None = None
    shown = ""
    row = None
    if text:
        row = conn.execute(
            "SELECT id, name FROM companies WHERE name_norm = ? ORDER BY id LIMIT 1",
            (normalize_company(text),),
        ).fetchone()
        if row is not None:
            company_id, shown = int(row[0]), str(row[1])
    created = bool(text) and row is None  # no company of that name yet: one is made below
    if not created and company_id == contact["company_id"]:
        return CompanyEdit(contact_id, company_id, shown, False, False)
    op = history.begin_op(conn, "edit", f"Edit company of contact #{contact_id}", user)
    if created:
        now = utc_now()
        cur = conn.execute(
            "INSERT INTO companies(name, name_norm, created_at, updated_at) VALUES (?, ?, ?, ?)",
            (text, normalize_company(text), now, now),
        )
        company_id, shown = int(cur.lastrowid or 0), text
        full = conn.execute("SELECT * FROM companies WHERE id = ?", (company_id,)).fetchone()
        history.record(conn, op, "companies", company_id, None, dict(full))
    _touch_contact(conn, op, contact, company_id=company_id)
    refresh_fts(conn, [contact_id])
    return CompanyEdit(contact_id, company_id, shown, created, True)
