"""Opt-in deliverability check: does an email's domain accept mail (DNS MX, RFC 5321 fallback)?

Never on the import path (DESIGN §6): a user asks for it, on a selection. Lookups run before the
write transaction, so the book is never locked while DNS answers; the result is one undoable
operation that only ever downgrades an address whose domain cannot receive mail.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import dns.exception
import dns.name
import dns.resolver

from app.book_base import BookBase
from app.clean.email import email_domain
from app.jobs import Cancelled, Progress, check_cancelled, never_cancelled, no_progress
from app.store import history
from app.store.db import transaction, utc_now

DELIVERABLE, UNDELIVERABLE, UNKNOWN = "deliverable", "undeliverable", "unknown"
NO_DOMAIN = "domain does not exist"
NO_MAIL = "domain accepts no mail"
TIMEOUT = "could not check (timeout)"
CHUNK = 25  # domains per progress step

Verdict = tuple[str, str]  # (deliverable | undeliverable | unknown, reason)


@dataclass(frozen=True)
class VerifyReport:
    """What `verify_emails` did: how many addresses were checked and what became of them."""

    checked: int
    deliverable: int
    undeliverable: int
    unknown: int
    op_id: int | None  # the undoable operation, None when nothing changed


def make_resolver(nameserver: str, timeout: float = 2.0) -> dns.resolver.Resolver:
    """A resolver asking exactly one server, "IP" or "IP:PORT" (never the system's settings)."""
    host, port = nameserver.strip(), 53
    if host.count(":") == 1:  # IPv4 with a port; a bare IPv6 address has several colons
        host, _, port_text = host.partition(":")
        port = int(port_text)
    elif host.startswith("[") and "]:" in host:
        host, _, port_text = host[1:].partition("]:")
        port = int(port_text)
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = [host]
    resolver.port = port
    resolver.timeout = resolver.lifetime = timeout
    return resolver


def check_domain(domain: str, resolver: dns.resolver.Resolver) -> Verdict:
    """One domain: MX records, else A/AAAA (RFC 5321 §5.1), with the reason in words."""
    try:
        answer = resolver.resolve(domain, "MX")
        hosts = [str(r.exchange) for r in answer]  # type: ignore[attr-defined]
        if hosts == ["."]:
            return UNDELIVERABLE, f"{NO_MAIL} (null MX)"  # RFC 7505
        return DELIVERABLE, f"mail server {hosts[0].rstrip('.')}"
    except dns.resolver.NXDOMAIN:
        return UNDELIVERABLE, NO_DOMAIN
    except dns.resolver.NoAnswer:
        pass
    except dns.exception.Timeout:
        return UNKNOWN, TIMEOUT
    except (dns.resolver.NoNameservers, dns.name.NameTooLong, dns.name.EmptyLabel) as exc:
        return UNKNOWN, f"could not check ({type(exc).__name__})"
    for rdtype in ("A", "AAAA"):
        try:
            resolver.resolve(domain, rdtype)
            return DELIVERABLE, f"no MX; mail goes to its {rdtype} address"
        except (dns.resolver.NoAnswer, dns.resolver.NXDOMAIN):
            continue
        except dns.exception.Timeout:
            return UNKNOWN, TIMEOUT
        except dns.resolver.NoNameservers as exc:
            return UNKNOWN, f"could not check ({type(exc).__name__})"
    return UNDELIVERABLE, NO_MAIL


def check_domains(
    domains: Iterable[str],
    resolver: dns.resolver.Resolver | None = None,
    timeout: float = 2.0,
    cache: dict[str, Verdict] | None = None,
) -> dict[str, Verdict]:
    """Each domain's (status, reason), every domain looked up once (`cache` spans calls)."""
    if resolver is None:
        resolver = dns.resolver.Resolver()  # the system's servers: only when none is given
        resolver.timeout = resolver.lifetime = timeout
    known = cache if cache is not None else {}
    out: dict[str, Verdict] = {}
    for domain in domains:
        key = domain.strip().lower().rstrip(".")
        if not key:
            continue
        if key not in known:
            known[key] = check_domain(key, resolver)
        out[key] = known[key]
    return out


def verify_emails(
    book: BookBase,
    ids: Sequence[int] | None = None,
    nameserver: str | None = None,
    progress: Progress = no_progress,
    cancelled: Cancelled = never_cancelled,
    *,
    resolver: dns.resolver.Resolver | None = None,
    timeout: float = 2.0,
) -> VerifyReport:
    """Check the domains of valid/risky email points; mark undeliverable ones invalid (undoable)."""
    conn = book.conn
    sql = """SELECT p.id, p.contact_id, p.value, p.status, p.reason FROM contact_points p
             JOIN contacts c ON c.id = p.contact_id
             WHERE p.kind = 'email' AND p.value IS NOT NULL AND p.status IN ('valid', 'risky')
               AND c.merged_into IS NULL AND c.deleted_at IS NULL"""
    params: list[object] = []
    if ids is not None:
        sql += f" AND p.contact_id IN ({', '.join('?' * len(ids))})"
        params.extend(ids)
    points = conn.execute(sql + " ORDER BY p.id", params).fetchall()
    if resolver is None and nameserver:
        resolver = make_resolver(nameserver, timeout)
    domains = sorted({email_domain(str(p["value"])) for p in points} - {""})
    verdicts: dict[str, Verdict] = {}
    for start in range(0, len(domains), CHUNK):
        check_cancelled(cancelled)
        check_domains(domains[start : start + CHUNK], resolver, timeout, cache=verdicts)
        progress(min(start + CHUNK, len(domains)), len(domains))
    counts = {DELIVERABLE: 0, UNDELIVERABLE: 0, UNKNOWN: 0}
    changes: list[tuple[int, dict[str, object], dict[str, object]]] = []
    for p in points:
        status, reason = verdicts.get(email_domain(str(p["value"])), (UNKNOWN, "no domain"))
        counts[status] += 1
        if status == UNDELIVERABLE:
            before = {"contact_id": p["contact_id"], "status": p["status"], "reason": p["reason"]}
            after = {"contact_id": p["contact_id"], "status": "invalid", "reason": reason}
            changes.append((int(p["id"]), before, after))
    op_id = _record(book, changes) if changes else None
    return VerifyReport(
        len(points), counts[DELIVERABLE], counts[UNDELIVERABLE], counts[UNKNOWN], op_id
    )


def _record(book: BookBase, changes: list[tuple[int, dict[str, object], dict[str, object]]]) -> int:
    conn = book.conn
    now = utc_now()
    with transaction(conn):
        op_id = history.begin_op(conn, "verify", f"Verify emails ({len(changes)})", book.user)
        touched: dict[int, str] = {}
        for point_id, before, after in changes:
            # Only status and reason change: the raw address and its normalized value stay.
            history.record(conn, op_id, "contact_points", point_id, before, after)
            conn.execute(
                "UPDATE contact_points SET status = ?, reason = ? WHERE id = ?",
                (after["status"], after["reason"], point_id),
            )
            cid = int(str(before["contact_id"]))
            if cid not in touched:
                row = conn.execute(
                    "SELECT updated_at FROM contacts WHERE id = ?", (cid,)
                ).fetchone()
                touched[cid] = str(row[0])
        for cid, updated in touched.items():
            history.record(
                conn, op_id, "contacts", cid, {"updated_at": updated}, {"updated_at": now}
            )
            conn.execute("UPDATE contacts SET updated_at = ? WHERE id = ?", (now, cid))
    return op_id
