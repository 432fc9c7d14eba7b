"""What an import attaches its contacts to: companies (found or created), tags and the import's list.

Split out of app/ingest.py: ImportSession decides what becomes of each row; these are the rows
around a contact it writes, with the caches that keep one lookup per company and tag an import.
Every write happens in the import's transaction; undo removes them by import_id or, for
companies filled in, through the history records made here.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from app.clean.company import normalize_company
from app.contact import Company
from app.store import history


class ImportLinks:
    """Companies, tags and list memberships for one import's contacts."""

    def __init__(self, conn: sqlite3.Connection, now: str) -> None:
        self.conn, self._now = conn, now
        self.import_id = 0
        self.op_id = 0
        self._companies: dict[str, int] = {}
        self._list_id: int | None = None
        self._tag_ids: dict[str, int] = {}

    def begin(self, import_id: int, op_id: int, list_name: str | None) -> None:
        """The import's ids (its history operation), and the list it adds everyone to, if any."""
        self.import_id, self.op_id = import_id, op_id
        if list_name:
            self._list_id = self._ensure_list(list_name)

    def attach(self, cid: int, tags: Iterable[str]) -> None:
        """Tag a written contact and add it to the import's list."""
        for tag in tags:
            self._tag(cid, tag)
        if self._list_id is not None:
            self._add_to_list(cid)

    def company_id(self, company: Company) -> int | None:
        """The stored company a contact belongs to, created (or its empty fields filled) if needed."""
        name = company.name.strip()
        if not name and not company.domain:
            return None
        key = normalize_company(name) if name else f"@{company.domain}"
        cached = self._companies.get(key)
        if cached is not None:
            return cached
        if name:
            row = self.conn.execute(
                "SELECT id FROM companies WHERE name_norm = ? ORDER BY id LIMIT 1", (key,)
            ).fetchone()
        else:
            row = self.conn.execute(
                "SELECT id FROM companies WHERE domain = ? ORDER BY id LIMIT 1", (company.domain,)
            ).fetchone()
        if row:
            cid = int(row[0])
            self._fill(cid, company)
        else:
            cur = self.conn.execute(
                """INSERT INTO companies(name, name_norm, domain, website, industry, employees,
                       annual_revenue, phone, country, import_id, created_at, updated_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    name,
                    normalize_company(name) if name else "",
                    company.domain,
                    company.website,
                    company.industry,
                    company.employees,
                    company.annual_revenue,
                    company.phone,
                    company.country,
                    self.import_id,
                    self._now,
                    self._now,
                ),
            )
            cid = int(cur.lastrowid or 0)
        self._companies[key] = cid
        return cid

    def _fill(self, company_id: int, company: Company) -> None:
        row = self.conn.execute(
            "SELECT domain, website, industry, employees, annual_revenue, phone, country FROM companies WHERE id = ?",
            (company_id,),
        ).fetchone()
        incoming = {
            "domain": company.domain,
            "website": company.website,
            "industry": company.industry,
            "employees": company.employees,
            "annual_revenue": company.annual_revenue,
            "phone": company.phone,
            "country": company.country,
        }
        before = {
            k: row[k] for k, v in incoming.items() if v not in (None, "") and row[k] in (None, "")
        }
        if not before:
            return
        after = {k: incoming[k] for k in before}
        history.record(self.conn, self.op_id, "companies", company_id, before, after)
        sets = ", ".join(f"{k} = ?" for k in after)
        self.conn.execute(
            f"UPDATE companies SET {sets} WHERE id = ?", [*after.values(), company_id]
        )

    def _ensure_list(self, name: str) -> int:
        row = self.conn.execute("SELECT id FROM lists WHERE name = ?", (name,)).fetchone()
        if row:
            return int(row[0])
        cur = self.conn.execute(
            "INSERT INTO lists(name, created_at) VALUES (?, ?)", (name, self._now)
        )
        return int(cur.lastrowid or 0)

    def _add_to_list(self, cid: int) -> None:
        # Undo of an import removes rows by import_id, so memberships need no change records.
        self.conn.execute(
            """INSERT OR IGNORE INTO list_members(list_id, contact_id, import_id, added_at)
               VALUES (?, ?, ?, ?)""",
            (self._list_id, cid, self.import_id, self._now),
        )

    def _tag(self, cid: int, name: str) -> None:
        tag_id = self._tag_ids.get(name.casefold())
        if tag_id is None:
            self.conn.execute("INSERT OR IGNORE INTO tags(name) VALUES (?)", (name,))
            tag_id = int(
                self.conn.execute("SELECT id FROM tags WHERE name = ?", (name,)).fetchone()[0]
            )
            self._tag_ids[name.casefold()] = tag_id
        self.conn.execute(
            """INSERT OR IGNORE INTO contact_tags(contact_id, tag_id, origin, import_id)
               VALUES (?, ?, 'import', ?)""",
            (cid, tag_id, self.import_id),
        )
