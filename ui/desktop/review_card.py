"""The review card: one contact as rich text, its emails and phones badged, its fit explained.

Colours come from the palette's scheme (ui/desktop/theme.py); the marks and status words say the
same without colour.
"""

from __future__ import annotations

import html

from PySide6.QtGui import QPalette

from app.audience import Fit
from app.clean.phone import format_phone
from app.contact import Contact, ContactPoint
from ui.desktop import theme

# (mark, theme role): the mark and the status word say it without colour too.
BADGES = {"valid": ("✓", "valid"), "risky": ("!", "risky"), "invalid": ("✗", "invalid")}


def point_html(point: ContactPoint, palette: QPalette | None = None) -> str:
    """One email or phone with its validation badge (and why, when it is not valid)."""
    badge, role = BADGES.get(point.status, ("?", "unchecked"))
    color = theme.hex_color(role, palette)
    value = point.value or point.raw
    if point.kind == "phone" and value.startswith("+"):
        value = format_phone(value)
    why = f" <i>({html.escape(point.reason)})</i>" if point.reason else ""
    return (
        f"<span style='color:{color}; font-weight:bold'>{badge}</span> "
        f"{html.escape(value)} <span style='color:{color}'>{point.status}</span>{why}"
    )


def fit_html(fit: Fit, palette: QPalette | None = None) -> str:
    """The fit score and grade with one line per criterion."""
    muted, red = theme.hex_color("muted", palette), theme.hex_color("invalid", palette)
    rows = "".join(
        f"<tr><td>{'✓' if r.matched else '✗'}</td><td>{r.criterion}</td>"
        f"<td>{html.escape(r.value or '—')}</td>"
        f"<td style='color:{muted}'>wants {html.escape(', '.join(r.wanted))}</td>"
        f"<td align='right'>{r.earned}/{r.weight}</td></tr>"
        for r in fit.breakdown
    )
    gates = (
        f"<p style='color:{red}'>✗ Fails: {', '.join(fit.failed_gates)}</p>"
        if fit.failed_gates
        else ""
    )
    return (
        f"<p><b>Fit {fit.score}/100 · grade {fit.grade}</b></p>{gates}"
        f"<table cellspacing='0' cellpadding='3'>{rows}</table>"
    )


def card_html(c: Contact, fit: Fit | None, palette: QPalette | None = None) -> str:
    """The review card of a contact, coloured for the palette's scheme."""
    esc = html.escape
    muted = theme.hex_color("muted", palette)
    role = " · ".join(x for x in (c.seniority, c.department, c.country) if x)
    points = [point_html(p, palette) for p in (*c.emails, *c.phones)]
    points = points or ["<i>no email or phone</i>"]
    source = c.sources[0] if c.sources else None
    where = (
        f"{esc(source.source_label or source.file)} row {source.row} · by {esc(source.user)}"
        if source
        else ""
    )
    if fit is not None:
        score = fit_html(fit, palette)
    elif c.score is not None:
        score = f"<p><b>Fit {c.score}/100 · grade {esc(c.grade)}</b></p>"
    else:
        score = f"<p style='color:{muted}'>Not scored — choose an audience to see the fit.</p>"
    notes = "<br>".join(esc(n) for n in c.notes.splitlines()[-3:])
    return (
        f"<h2>{esc(c.display_name)}</h2>"
        f"<p style='font-size:large'>{esc(c.job_title or '—')} at <b>{esc(c.company.name or '—')}"
        f"</b></p><p style='color:{muted}'>{esc(role)}</p><p>{'<br>'.join(points)}</p>"
        f"<p>Status: <b>{esc(c.status)}</b> &nbsp; Source: {where}</p>{score}"
        + (f"<p style='color:{muted}'><b>Notes</b><br>{notes}</p>" if notes else "")
    )
