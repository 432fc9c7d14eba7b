"""Merging contacts with field-by-field survivorship, and unmerging one merge exactly.

A merge is soft and recorded in the history: the others get `merged_into = survivor`; their emails
and phones are re-pointed to the survivor; their tags and lists are added to it; their own rows
(sources, tags, lists, duplicate points) stay as they were, so nothing is lost and `LeadBook.undo()`
or `unmerge()` restores every contact exactly.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

from app.errors import InvalidValue, LeadsmithError, NotFound
from app.fields import CONTACT_COLUMNS
from app.store import history
from app.store.contacts import refresh_fts
from app.store.db import utc_now

# Job title and company follow the most recent source (seniority and department go with the title).
NEWEST_WINS = ("job_title", "seniority", "department", "company_id")
EXTRA_COLUMNS = (
    "score", "grade", "budget", "authority", "need", "timeline", "review_state", "collected_at",
)  # fmt: skip
MERGE_COLUMNS: tuple[str, ...] = (*CONTACT_COLUMNS, "company_id", *EXTRA_COLUMNS)
CHOICE_ALIASES = {"company": "company_id"}


class MergeRefused(LeadsmithError):
    """A merge needs an explicit confirmation (do-not-contact, different legal bases) or is invalid."""


class UnmergeRefused(LeadsmithError):
    """An unmerge would throw away later changes, or there is no merge to revert."""


def _rows(conn: sqlite3.Connection, ids: Sequence[int]) -> dict[int, sqlite3.Row]:
    marks = ",".join("?" * len(ids))
    rows = conn.execute(f"SELECT * FROM contacts WHERE id IN ({marks})", list(ids)).fetchall()
    return {int(r["id"]): r for r in rows}


def _recency(conn: sqlite3.Connection, cid: int, row: sqlite3.Row) -> tuple[int, str]:
    newest = conn.execute(
        "SELECT max(import_id) FROM contact_sources WHERE contact_id = ?", (cid,)
    ).fetchone()[0]
    return (int(newest or 0), str(row["updated_at"]))


def _check_guards(rows: Mapping[int, sqlite3.Row], confirm: bool) -> None:
    if confirm:
        return
    dnc = [cid for cid, r in rows.items() if r["do_not_contact"]]
    if dnc:
        who = ", ".join(f"#{c}" for c in dnc)
        raise MergeRefused(
            f"contact {who} is marked do-not-contact: merging would mix it with another person's "
            "record; confirm the merge explicitly if they really are the same person"
        )
    bases = {r["legal_basis"] for r in rows.values() if r["legal_basis"]}
    if len(bases) > 1:
        raise MergeRefused(
            "these contacts have different legal bases ("
            + ", ".join(sorted(bases))
            + "): confirm the merge explicitly and check which basis applies"
        )


def _country_ok(value: str) -> bool:
    return len(value) == 2 and value.isalpha() and value.isupper()


def survivorship(
    order: Sequence[int], rows: Mapping[int, sqlite3.Row], newest: Sequence[int]
) -> dict[str, Any]:
    """The merged values: survivor first, non-empty beats empty, validated beats unvalidated, the
    most recent source wins for job title and company. `order` starts with the survivor."""
    out: dict[str, Any] = {}
    for col in MERGE_COLUMNS:
        candidates = newest if col in NEWEST_WINS else order
        if col in ("seniority", "department"):
            continue  # follow the job title below
        value = next(
            (rows[c][col] for c in candidates if rows[c][col] not in (None, "")),
            rows[order[0]][col],
        )
        if col == "job_title":
            source = next((c for c in candidates if rows[c]["job_title"]), order[0])
            out["seniority"] = rows[source]["seniority"]
            out["department"] = rows[source]["department"]
        out[col] = value
    if not _country_ok(out["country"]):
        out["country"] = next(
            (rows[c]["country"] for c in order if _country_ok(rows[c]["country"])), out["country"]
        )
    if out["status"] == "New":
        out["status"] = next(
            (rows[c]["status"] for c in order if rows[c]["status"] != "New"), "New"
        )
    notes = [rows[c]["notes"] for c in order if rows[c]["notes"]]
    out["notes"] = "\n\n".join(dict.fromkeys(notes))
    extra: dict[str, Any] = {}
    for c in reversed(order):  # the survivor's value wins on a clash
        extra.update(json.loads(rows[c]["extra"] or "{}"))
    out["extra"] = json.dumps(extra, ensure_ascii=False)
    out["do_not_contact"] = max(int(rows[c]["do_not_contact"]) for c in order)
    out["dnc_reason"] = next((rows[c]["dnc_reason"] for c in order if rows[c]["dnc_reason"]), "")
    return out


def merge_contacts(
    conn: sqlite3.Connection,
    survivor: int,
    others: Sequence[int],
    user: str,
    choices: Mapping[str, int] | None = None,
    confirm: bool = False,
) -> int:
    """Merge `others` into `survivor` inside the caller's transaction; returns the operation id."""
    others = [o for o in dict.fromkeys(others) if o != survivor]
    if not others:
        raise InvalidValue("give at least two different contacts to merge")
    ids = [survivor, *others]
    rows = _rows(conn, ids)
    for cid in ids:
        r = rows.get(cid)
        if r is None or r["deleted_at"] is not None:
            raise NotFound(f"no contact with id {cid}")
        if r["merged_into"] is not None:
            raise InvalidValue(f"contact #{cid} was already merged into #{r['merged_into']}")
    _check_guards(rows, confirm)
    newest = sorted(ids, key=lambda c: _recency(conn, c, rows[c]), reverse=True)
    values = survivorship(ids, rows, newest)
    for field, source in (choices or {}).items():
        col = CHOICE_ALIASES.get(field, field)
        if col not in MERGE_COLUMNS and col not in ("extra", "dnc_reason"):
            raise InvalidValue(f"cannot choose a value for {field!r}")
        if source not in rows:
            raise InvalidValue(f"contact #{source} is not part of this merge")
        values[col] = rows[source][col]
        if col == "job_title":
            values["seniority"] = rows[source]["seniority"]
            values["department"] = rows[source]["department"]
    now = utc_now()
    label = f"Merge {', '.join(f'#{o}' for o in others)} into #{survivor}"
    op = history.begin_op(conn, "merge", label, user)
    srow = rows[survivor]
    before = {k: srow[k] for k, v in values.items() if srow[k] != v}
    if before:
        after = {k: values[k] for k in before}
        before["updated_at"], after["updated_at"] = srow["updated_at"], now
        history.record(conn, op, "contacts", survivor, before, after)
        sets = ", ".join(f"{k} = ?" for k in after)
        conn.execute(f"UPDATE contacts SET {sets} WHERE id = ?", [*after.values(), survivor])
    _move_points(conn, op, survivor, others)
    _copy_links(conn, op, survivor, others, now)
    for cid in others:
        history.record(
            conn,
            op,
            "contacts",
            cid,
            {"merged_into": None, "updated_at": rows[cid]["updated_at"]},
            {"merged_into": survivor, "updated_at": now},
        )
        conn.execute(
            "UPDATE contacts SET merged_into = ?, updated_at = ? WHERE id = ?", (survivor, now, cid)
        )
        conn.execute(
            "INSERT INTO dedupe_merges(op_id, survivor_id, merged_id, at) VALUES (?, ?, ?, ?)",
            (op, survivor, cid, now),
        )
    refresh_fts(conn, ids)
    return op


def _move_points(conn: sqlite3.Connection, op: int, survivor: int, others: Sequence[int]) -> None:
    points = conn.execute(
        f"""SELECT id, contact_id, kind, value, raw, is_primary, status FROM contact_points
            WHERE contact_id IN ({",".join("?" * (len(others) + 1))})
            ORDER BY contact_id != ?, id""",
        [survivor, *others, survivor],
    ).fetchall()
    have: set[tuple[str, str]] = set()
    primary: dict[str, sqlite3.Row] = {}
    for p in points:
        if p["contact_id"] == survivor:
            have.add((p["kind"], p["value"] or p["raw"]))
            if p["is_primary"]:
                primary[p["kind"]] = p
    for p in points:
        key = (p["kind"], p["value"] or p["raw"])
        if p["contact_id"] == survivor or key in have:
            continue  # an identical value stays on the merged contact: nothing is lost
        have.add(key)
        old = primary.get(p["kind"])
        usable = p["value"] is not None and p["status"] != "invalid"
        # Validated beats unvalidated: a usable address replaces an unusable primary one.
        make_primary = usable and (
            old is None or old["value"] is None or old["status"] == "invalid"
        )
        if make_primary and old is not None and old["contact_id"] == survivor:
            history.record(
                conn, op, "contact_points", old["id"], {"is_primary": 1}, {"is_primary": 0}
            )
            conn.execute("UPDATE contact_points SET is_primary = 0 WHERE id = ?", (old["id"],))
        new_primary = 1 if make_primary else 0
        history.record(
            conn,
            op,
            "contact_points",
            p["id"],
            {"contact_id": p["contact_id"], "is_primary": p["is_primary"]},
            {"contact_id": survivor, "is_primary": new_primary},
        )
        conn.execute(
            "UPDATE contact_points SET contact_id = ?, is_primary = ? WHERE id = ?",
            (survivor, new_primary, p["id"]),
        )
        if make_primary:
            primary[p["kind"]] = p


def _copy_links(
    conn: sqlite3.Connection, op: int, survivor: int, others: Sequence[int], now: str
) -> None:
    marks = ",".join("?" * len(others))
    for tag_id, origin in conn.execute(
        f"""SELECT tag_id, min(origin) FROM contact_tags WHERE contact_id IN ({marks})
            AND tag_id NOT IN (SELECT tag_id FROM contact_tags WHERE contact_id = ?)
            GROUP BY tag_id ORDER BY tag_id""",
        [*others, survivor],
    ).fetchall():
        row = {"contact_id": survivor, "tag_id": tag_id, "origin": origin, "import_id": None}
        history.record(conn, op, "contact_tags", survivor, None, row)
        conn.execute(
            "INSERT INTO contact_tags(contact_id, tag_id, origin, import_id) VALUES (?, ?, ?, NULL)",
            (survivor, tag_id, origin),
        )
    for (list_id,) in conn.execute(
        f"""SELECT DISTINCT list_id FROM list_members WHERE contact_id IN ({marks})
            AND list_id NOT IN (SELECT list_id FROM list_members WHERE contact_id = ?)
            ORDER BY list_id""",
        [*others, survivor],
    ).fetchall():
        row = {"list_id": list_id, "contact_id": survivor, "import_id": None, "added_at": now}
        history.record(conn, op, "list_members", survivor, None, row)
        conn.execute(
            "INSERT INTO list_members(list_id, contact_id, import_id, added_at) VALUES (?, ?, NULL, ?)",
            (list_id, survivor, now),
        )
