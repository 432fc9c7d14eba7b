"""Review mode driven by the keyboard alone: accept, reject with a reason, skip, note, edit, undo."""

from __future__ import annotations

from pathlib import Path

import pytest
from lead_data import ids_by_name, import_prospects
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.audience import Criteria
from app.book import LeadBook
from ui.desktop.review_mode import ReviewDialog


@pytest.fixture
def review(qtbot, book: LeadBook, tmp_path: Path) -> ReviewDialog:
    """A review pass over the six prospects, shown and focused."""
    import_prospects(book, tmp_path)
    dialog = ReviewDialog(book)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    return dialog


def press(
    qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    """A key press where the keyboard focus is, as a user's key would land."""
    target = QApplication.focusWidget()
    assert target is not None
    qtbot.keyClick(target, key, modifier)


def test_five_contacts_reviewed_with_the_keyboard(
    qtbot, review: ReviewDialog, book: LeadBook
) -> None:
    people = ids_by_name(book)
    assert review.progress_label.text() == "0 of 6 reviewed"
    assert "Ann Lee" in review.card.text() and "Marketing Director" in review.card.text()

    press(qtbot, Qt.Key.Key_A)  # Ann: accept
    assert review.progress_label.text() == "1 of 6 reviewed"
    assert review.message.text() == "Accepted Ann Lee → SAL"
    press(qtbot, Qt.Key.Key_R)  # Bob: reject, reason 1
    assert review.reasons.isVisible()
    press(qtbot, Qt.Key.Key_1)
    assert review.progress_label.text() == "2 of 6 reviewed"
    press(qtbot, Qt.Key.Key_S)  # Cara: skip
    assert review.current_id == people["Dan"]
    press(qtbot, Qt.Key.Key_N)  # Dan: a note, then reject as "not now"
    qtbot.keyClicks(QApplication.focusWidget(), "Call back in May")
    press(qtbot, Qt.Key.Key_Return)
    assert review.current_id == people["Dan"]
    press(qtbot, Qt.Key.Key_R)
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Return)
    press(qtbot, Qt.Key.Key_Right)  # Eve: skip
    assert review.current_id == people["Finn"]
    press(qtbot, Qt.Key.Key_A)  # Finn: accept

    assert review.progress_label.text() == "4 of 6 reviewed"
    statuses = {name: book.get_contact(cid).status for name, cid in people.items()}
    assert statuses == {"Ann": "SAL", "Bob": "Disqualified", "Cara": "New", "Dan": "Recycled",
                        "Eve": "New", "Finn": "SAL"}  # fmt: skip
    assert [e.reason for e in book.lifecycle_history(people["Bob"])] == ["Wrong title"]
    assert [e.reason for e in book.lifecycle_history(people["Dan"])] == ["Not now"]
    assert book.get_contact(people["Dan"]).notes.endswith("] Call back in May")
    # Skipped contacts come back at the end of the pass.
    assert review.current_id == people["Cara"]


def test_undo_takes_back_the_last_decision(qtbot, review: ReviewDialog, book: LeadBook) -> None:
    people = ids_by_name(book)
    press(qtbot, Qt.Key.Key_A)
    press(qtbot, Qt.Key.Key_S)
    assert review.current_id == people["Cara"]
    press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the skip
    assert review.current_id == people["Bob"]
    press(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the accept
    assert review.current_id == people["Ann"]
    assert book.get_contact(people["Ann"]).status == "New"
    assert review.progress_label.text() == "0 of 6 reviewed"
    assert review.message.text() == f"Undone: Accept contact #{people['Ann']}"


def test_edit_inline_then_escape_leaves(qtbot, review: ReviewDialog, book: LeadBook) -> None:
    people = ids_by_name(book)
    press(qtbot, Qt.Key.Key_E)
    assert QApplication.focusWidget() is review.edits["first_name"]
    press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Tab)  # to the job title
    assert QApplication.focusWidget() is review.edits["job_title"]
    review.edits["job_title"].selectAll()
    qtbot.keyClicks(QApplication.focusWidget(), "Chief Marketing Officer")
    press(qtbot, Qt.Key.Key_Return)
    assert book.get_contact(people["Ann"]).job_title == "Chief Marketing Officer"
    assert "Chief Marketing Officer" in review.card.text()
    press(qtbot, Qt.Key.Key_R)  # open the reasons, then Esc closes only them
    press(qtbot, Qt.Key.Key_Escape)
    assert review.isVisible() and review.mode == "card"
    assert book.get_contact(people["Ann"]).status == "New"
    press(qtbot, Qt.Key.Key_Escape)
    assert not review.isVisible()


def test_audience_filter_shows_the_fit_breakdown(qtbot, book: LeadBook, tmp_path: Path) -> None:
    book.save_audience("UK marketers", Criteria(title_keywords=("marketing",), countries=("GB",)))
    import_prospects(book, tmp_path)
    dialog = ReviewDialog(book, audience="UK marketers")
    qtbot.addWidget(dialog)
    assert dialog.progress_label.text() == "0 of 2 reviewed"
    text = dialog.card.text()
    assert "Ann Lee" in text and "Fit 100/100 · grade A" in text
    assert "25/25" in text and "10/10" in text  # title and country weights earned
    dialog.list_box.setCurrentIndex(0)
    dialog.audience_box.setCurrentIndex(0)  # (any): every prospect
    assert dialog.progress_label.text() == "0 of 6 reviewed"


def test_the_queue_is_read_off_the_window_thread(qtbot, book: LeadBook, tmp_path: Path) -> None:
    from ui.desktop.jobs import JobRunner

    book.save_audience("UK marketers", Criteria(title_keywords=("marketing",), countries=("GB",)))
    import_prospects(book, tmp_path)
    people = ids_by_name(book)
    jobs = JobRunner(book.path)
    dialog = ReviewDialog(book, audience="UK marketers", jobs=jobs)
    qtbot.addWidget(dialog)
    dialog.show()
    # Until the queue is read the card says so and the decision keys do nothing.
    assert dialog.mode == "loading" and "Reading the contacts to review" in dialog.card.text()
    assert not dialog.key_actions["accept"].isEnabled()
    # A filter chosen while a read is on its way: only the newest pass is shown.
    dialog.audience_box.setCurrentIndex(0)  # (any)
    qtbot.waitUntil(lambda: dialog.mode == "card")
    assert dialog.progress_label.text() == "0 of 6 reviewed"
    assert dialog.current_id == people["Ann"]
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    press(qtbot, Qt.Key.Key_A)
    assert dialog.progress_label.text() == "1 of 6 reviewed"
    assert book.get_contact(people["Ann"]).status == "SAL"
    dialog.audience_box.setCurrentText("UK marketers")  # another pass, read again
    assert dialog.mode == "loading"
    dialog.reject()  # Esc while it is read: leaves review and stops the read
    assert not dialog.isVisible()
    assert jobs.shutdown()
