"""LeadBook methods for privacy and data safety: suppression, do-not-contact, erasure, backups,
legal basis and provenance (issue 7). The logic lives in app.privacy, app.privacy_erase and
app.backup; these methods are thin."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from app import backup, privacy, privacy_erase
from app.book_base import BookBase, RowCheck
from app.contact import Contact
from app.errors import InvalidValue


class PrivacyMixin(BookBase):
    """Suppression, do-not-contact, erasure, backups and provenance (issue 7)."""

    # -- hooks -----------------------------------------------------------------------------
    def import_checks(self) -> list[RowCheck]:
        """Refuse rows whose email, phone or email domain is on the suppression list."""
        return [*super().import_checks(), privacy.suppression_check(self.conn)]

    def before_import_commit(self, import_id: int, contact_ids: list[int]) -> None:
        """Give the import's contacts the book's default legal basis when the import gave none."""
        super().before_import_commit(import_id, contact_ids)
        privacy.apply_default_legal_basis(
            self.conn, import_id, contact_ids, self.default_legal_basis
        )

    def export_exclusions(self) -> set[int]:
        """Suppressed and do-not-contact people are never exported."""
        return super().export_exclusions() | privacy.suppressed_contact_ids(self.conn)

    # -- suppression -----------------------------------------------------------------------
    def suppress(self, values: Sequence[str], reason: str = "", kind: str = "") -> tuple[int, int]:
        """Add emails/phones/domains typed by hand; returns (added, already listed)."""
        return privacy.suppress_values(
            self.conn, values, reason, self.user, self.default_region, kind
        )

    def import_suppression(
        self, path: Path | str, reason: str = "", column: str = "", kind: str = ""
    ) -> privacy.SuppressionImport:
        """Add every value of a file (one per line or a CSV column) to the suppression list."""
        return privacy.import_suppression_file(
            self.conn, Path(path), reason, self.user, self.default_region, column, kind
        )

    def suppression(self, limit: int | None = None) -> list[privacy.SuppressionEntry]:
        """The suppression list (hashes, reasons, when, who), newest first."""
        return privacy.list_suppression(self.conn, limit)

    def is_suppressed(self, contact: Contact) -> str | None:
        """Why this contact must not be contacted or exported, or None."""
        return privacy.is_suppressed(self.conn, contact)

    def set_do_not_contact(self, ids: Sequence[int], reason: str, on: bool = True) -> int:
        """Flag or clear do-not-contact (reason: unsubscribed, bounced, requested, manual); undoable."""
        return privacy.set_do_not_contact(self.conn, ids, reason, self.user, on)

    # -- erasure ---------------------------------------------------------------------------
    def erase(
        self, ids: Sequence[int], reason: str = "", *, backup_first: bool = True
    ) -> privacy_erase.ErasureResult:
        """Erase people for good (not undoable): data, provenance and history values go; their
        hashed emails/phones stay on the suppression list. A backup is taken first."""
        if backup_first:
            backup.backup_now(self, "before-erase")
        return privacy_erase.erase_contacts(self.conn, ids, reason, self.user)

    def erasures(self, limit: int = 100) -> list[dict[str, object]]:
        """The erasure log (when, who, why, how many)."""
        return privacy_erase.erasure_log(self.conn, limit)

    # -- backups and recovery ---------------------------------------------------------------
    def backup_now(self, reason: str = "manual") -> Path:
        """Back the book up now into `backups/` next to it; returns the file."""
        return backup.backup_now(self, reason)

    def backups(self) -> list[backup.BackupInfo]:
        """This book's backups, newest first."""
        return backup.list_backups(self.path)

    def interrupted_imports(self) -> list[dict[str, object]]:
        """Imports a crash left 'running' (see app.backup.interrupted_imports)."""
        return backup.interrupted_imports(self.conn)

    def discard_interrupted(self) -> int:
        """Remove what interrupted imports wrote; returns how many imports were discarded."""
        return backup.discard_interrupted(self.conn)

    # -- legal basis, provenance, history ----------------------------------------------------
    @property
    def default_legal_basis(self) -> str:
        """The legal basis given to imported contacts when their import names none."""
        return self.setting(privacy.DEFAULT_LEGAL_BASIS_KEY)

    @default_legal_basis.setter
    def default_legal_basis(self, basis: str) -> None:
        basis = basis.strip()
        if len(basis) > 200:
            raise InvalidValue("a legal basis is a short phrase such as 'legitimate interest'")
        self.set_setting(privacy.DEFAULT_LEGAL_BASIS_KEY, basis)

    def provenance(self, contact_id: int) -> list[dict[str, object]]:
        """Where a contact came from: file, row, import date, user, source label, legal basis."""
        return privacy.provenance(self.conn, contact_id)

    def contact_history(self, contact_id: int) -> list[dict[str, object]]:
        """Every recorded change touching one contact, oldest first."""
        return privacy.contact_history(self.conn, contact_id)
