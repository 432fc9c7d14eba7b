"""The audience editor: a live match count while typing, bad criteria named, save and apply."""

from __future__ import annotations

from pathlib import Path

from lead_data import import_prospects
from PySide6.QtCore import Qt

from app.audience import Criteria
from app.book import LeadBook
from ui.desktop.audience_editor import AudienceEditor, checked_values


def test_count_follows_the_criteria_as_typed(
    qtbot, make_window, book: LeadBook, tmp_path: Path
) -> None:
    import_prospects(book, tmp_path)
    window = make_window()
    editor = window.leads.open_audience_editor()
    assert editor is not None
    qtbot.waitUntil(lambda: editor.count_label.text() == "6 contacts match")
    qtbot.keyClicks(editor.name_edit, "UK marketers")
    qtbot.keyClicks(editor.keywords_edit, "marketing")
    qtbot.waitUntil(lambda: editor.count_label.text() == "3 contacts match")
    qtbot.keyClicks(editor.countries_edit, "GB")
    qtbot.waitUntil(lambda: editor.count_label.text() == "2 contacts match")
    editor.require_phone.setChecked(True)  # only Ann has a phone
    qtbot.waitUntil(lambda: editor.count_label.text() == "1 contact matches")
    editor.require_phone.setChecked(False)
    qtbot.waitUntil(lambda: editor.count_label.text() == "2 contacts match")

    with qtbot.waitSignal(editor.audience_applied):
        qtbot.mouseClick(editor.apply_button, Qt.MouseButton.LeftButton)
    saved = book.audience("UK marketers")
    assert saved.criteria == Criteria(title_keywords=("marketing",), countries=("GB",))
    assert dict(book.tags()) == {"UK marketers": 2}
    sidebar = window.leads.sidebar

    def audience_item_text() -> str:
        item = sidebar.item_labelled("Audience UK marketers")
        return item.text() if item is not None else ""

    qtbot.waitUntil(lambda: audience_item_text() == "UK marketers (2)")
    # Bob (a marketer in France) scores 25 of 35 = 71, over the default threshold of 70.
    assert window.statusBar().currentMessage() == (
        "Applied UK marketers: 2 match, 3 now MQL — Ctrl+Z to undo"
    )


def test_unknown_country_is_named_and_blocks_saving(qtbot, book: LeadBook, tmp_path: Path) -> None:
    from ui.desktop.jobs import JobRunner

    import_prospects(book, tmp_path)
    jobs = JobRunner(book.path)
    editor = AudienceEditor(book, jobs)
    qtbot.addWidget(editor)
    qtbot.keyClicks(editor.name_edit, "Nowhere")
    qtbot.keyClicks(editor.countries_edit, "Atlantis")
    qtbot.waitUntil(lambda: editor.count_label.text() == "—")
    assert editor.error_label.text().startswith("unknown country 'Atlantis'")
    assert not editor.save_button.isEnabled()
    editor.countries_edit.setText("DE")
    qtbot.waitUntil(lambda: editor.count_label.text() == "1 contact matches")
    assert editor.error_label.text() == ""
    assert editor.save_button.isEnabled()
    editor.close()
    assert jobs.shutdown()


def test_editing_a_saved_audience_loads_its_criteria(qtbot, book: LeadBook, tmp_path: Path) -> None:
    from ui.desktop.jobs import JobRunner

    import_prospects(book, tmp_path)
    book.save_audience(
        "Finance leaders",
        Criteria(seniorities=("C-level",), industries=("Banking",), exclude_domains=("rival.com",)),
        {"seniority": 40},
        threshold=55,
        auto_apply=False,
    )
    jobs = JobRunner(book.path)
    editor = AudienceEditor(book, jobs, book.audience("Finance leaders"))
    qtbot.addWidget(editor)
    assert editor.windowTitle() == "Edit audience — Finance leaders"
    assert checked_values(editor.seniority_list) == ("C-level",)
    assert checked_values(editor.industry_list) == ("Banking",)
    assert editor.domains_edit.text() == "rival.com"
    assert (editor.weights["seniority"].value(), editor.threshold.value()) == (40, 55)
    assert not editor.auto_apply.isChecked()
    qtbot.waitUntil(lambda: editor.count_label.text() == "1 contact matches")  # Eve, the CFO
    editor.seniority_list.item(0).setCheckState(Qt.CheckState.Checked)  # + Owner/Founder
    editor.save()
    assert book.audience("Finance leaders").criteria.seniorities == ("Owner/Founder", "C-level")
    assert jobs.shutdown()
