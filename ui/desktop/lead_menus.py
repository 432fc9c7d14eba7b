"""The main window's lead tools: the filter sidebar dock and the Audiences, Review and View menus.

Kept out of main_window.py so the window only needs three hooks: narrow the search filter with
the sidebar's choice, mention it in the status bar count, and refresh the counts after a write.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QInputDialog, QMenu

from app.audience_apply import ApplyResult
from app.errors import LeadsmithError
from app.query import ContactFilter
from ui.desktop.audience_editor import AudienceEditor
from ui.desktop.dashboard import Dashboard
from ui.desktop.review_mode import ReviewDialog
from ui.desktop.sidebar import Sidebar, SidebarChoice

if TYPE_CHECKING:
    from ui.desktop.main_window import MainWindow


class LeadMenus(QObject):
    """Sidebar, audience editor, review mode and dashboard, wired into one main window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.editor: AudienceEditor | None = None
        self.review: ReviewDialog | None = None
        self.dashboard: Dashboard | None = None
        self.sidebar = Sidebar(window.jobs)
        self.sidebar.choice_changed.connect(self._on_sidebar_choice_changed)
        self.dock = QDockWidget("Filters", window)
        self.dock.setObjectName("sidebar_dock")
        self.dock.setWidget(self.sidebar)
        self.dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.dock)
        window.resizeDocks([self.dock], [220], Qt.Orientation.Horizontal)
        # A delete does not go through refresh(): recount after it too.
        window.delete_action.triggered.connect(lambda _checked=False: self.sidebar.refresh())

        bar = window.menuBar()
        help_menu = next((a for a in bar.actions() if a.text().replace("&", "") == "Help"), None)
        menus = []
        for title, items in (
            (
                "&Audiences",
                [
                    ("&New audience…", None, lambda: self.open_audience_editor()),
                    ("&Edit audience…", None, lambda: self.edit_audience()),
                ],
            ),
            ("&Review", [("&Start review", "Ctrl+R", lambda: self.start_review())]),
            ("&View", [("&Dashboard", "Ctrl+D", lambda: self.show_dashboard())]),
        ):
            menu = QMenu(title, bar)
            for text, shortcut, slot in items:
                action = QAction(text, window)
                if shortcut:
                    action.setShortcut(QKeySequence(shortcut))
                action.triggered.connect(lambda _checked=False, s=slot: s())
                window.addAction(action)
                menu.addAction(action)
            menus.append(menu)
        for menu in menus:
            if help_menu is not None:
                bar.insertMenu(help_menu, menu)
            else:
                bar.addMenu(menu)
        self.new_audience_action, self.edit_audience_action = menus[0].actions()
        self.review_action = menus[1].actions()[0]
        self.dashboard_action = menus[2].actions()[0]
        menus[2].addAction(self.dock.toggleViewAction())

    # -- the sidebar -------------------------------------------------------------------------------
    def narrow(self, f: ContactFilter) -> ContactFilter:
        """A table filter (search, sort) narrowed to the sidebar's choice."""
        return self.sidebar.choice.apply_to(f)

    def shown_label(self) -> str:
        """What the status bar adds after "N shown" (" in List Q3" or "")."""
        choice = self.sidebar.choice
        return "" if choice.is_all else f" · {choice.label}"

    def _on_sidebar_choice_changed(self, choice: SidebarChoice) -> None:
        self.window.apply_search()

    def after_write(self) -> None:
        """Recount the sidebar and refresh the table after a change made here."""
        self.window.refresh()

    # -- audiences ---------------------------------------------------------------------------------
    def open_audience_editor(self, name: str = "") -> AudienceEditor | None:
        """Audiences → New audience… (or edit the audience called `name`)."""
        audience = None
        if name:
            try:
                audience = self.window.book.audience(name)
            except LeadsmithError as exc:
                self.window.show_message(exc.user_message())
                return None
        editor = AudienceEditor(self.window.book, self.window.jobs, audience, self.window)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.audience_saved.connect(self._on_audience_saved)
        editor.audience_applied.connect(self._on_audience_applied)
        editor.destroyed.connect(lambda: setattr(self, "editor", None))
        self.editor = editor
        editor.open()
        return editor

    def edit_audience(self) -> AudienceEditor | None:
        """Audiences → Edit audience…: the one picked in the sidebar, else ask which."""
        names = [a.name for a in self.window.book.audiences()]
        if not names:
            self.window.show_message("No audience yet: Audiences → New audience… creates one.")
            return None
        tag = self.sidebar.choice.tag
        if tag in names:
            return self.open_audience_editor(tag)
        name, ok = QInputDialog.getItem(self.window, "Edit audience", "Audience:", names, 0, False)
        return self.open_audience_editor(name) if ok else None

    def _on_audience_saved(self, name: str) -> None:
        self.window.show_message(f"Saved audience {name}")
        self.sidebar.refresh()

    def _on_audience_applied(self, result: ApplyResult) -> None:
        self.after_write()
        self.window.show_message(
            f"Applied {result.audience}: {result.matched:,} match, {result.promoted:,} now MQL "
            "— Ctrl+Z to undo"
        )

    # -- review and dashboard ----------------------------------------------------------------------
    def start_review(self) -> ReviewDialog:
        """Review → Start review (Ctrl+R): the audience picked in the sidebar, if any."""
        names = {a.name for a in self.window.book.audiences()}
        tag = self.sidebar.choice.tag
        dialog = ReviewDialog(
            self.window.book, tag if tag in names else "", self.window, self.window.jobs
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _r: self.after_write())
        dialog.destroyed.connect(lambda: setattr(self, "review", None))
        self.review = dialog
        dialog.open()
        dialog.activateWindow()
        return dialog

    def show_dashboard(self) -> Dashboard:
        """View → Dashboard (Ctrl+D): a window beside the table, read afresh each time."""
        if self.dashboard is None:
            self.dashboard = Dashboard(self.window.jobs, self.window)
        else:
            self.dashboard.reload()
        self.dashboard.show()
        self.dashboard.raise_()
        return self.dashboard
