"""Light and dark: follow the system's colour scheme, and the few colours the palette has no role for.

Qt ≥ 6.5 reports the system scheme (QStyleHints.colorScheme) and announces changes. The Fusion
style draws from the application palette, so a scheme change is one `setPalette`; widgets repaint
themselves. Status colours (valid/risky/invalid badges, highlights of differing values, chart
bars) have no palette role: they come from `color(role)`, which picks the light or the dark
variant from the palette the widget paints with, so a badge stays readable on either background.
"""

from __future__ import annotations

from string import Template

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

# Text and marks on the window background; backgrounds behind the view's text colour.
# Text roles are dark enough for WCAG AA (4.5:1) on Base, AlternateBase and Window alike.
LIGHT: dict[str, str] = {
    "valid": "#2a7330",
    "risky": "#955800",
    "invalid": "#c62828",
    "unchecked": "#6b6b6b",
    "muted": "#5f6368",
    "recycled": "#8d6e63",
    "accent": "#3f6fb5",
    "differs_bg": "#fff4d6",
    "picked_bg": "#d7ecd0",
    "result_bg": "#eef3fb",
    "banner_bg": "#fff4d6",
    "banner_border": "#e0b84c",
}
DARK: dict[str, str] = {
    "valid": "#81c784",
    "risky": "#ffb74d",
    "invalid": "#ef7b7b",
    "unchecked": "#a0a0a0",
    "muted": "#a8adb3",
    "recycled": "#bcaaa4",
    "accent": "#7aa7e8",
    "differs_bg": "#4d3f18",
    "picked_bg": "#24452a",
    "result_bg": "#1f2d44",
    "banner_bg": "#4d3f18",
    "banner_border": "#a8862e",
}


def is_dark(palette: QPalette | None = None) -> bool:
    """True when the palette's window is dark (what the user sees, whatever the system said)."""
    p = palette if palette is not None else QGuiApplication.palette()
    return p.color(QPalette.ColorRole.Window).lightnessF() < 0.5


def color(role: str, palette: QPalette | None = None) -> QColor:
    """The colour of a status role (see LIGHT) for the palette's scheme; unknown roles raise."""
    return QColor((DARK if is_dark(palette) else LIGHT)[role])


def hex_color(role: str, palette: QPalette | None = None) -> str:
    """`color(role)` as "#rrggbb", for style sheets and rich text."""
    return color(role, palette).name()


def contrast_ratio(a: QColor, b: QColor) -> float:
    """The WCAG 2 contrast ratio of two colours, 1.0 (same) to 21.0 (black on white)."""

    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

        return (
            0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())
        )

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


_STYLE_PROPERTY = "themeStyleTemplate"


def set_style(widget: QWidget, template: str) -> None:
    """Give a widget a style sheet whose `$role` fields are theme colours, kept on scheme changes.

    Example: `set_style(label, "color: $invalid;")`; unknown roles raise KeyError.
    """
    widget.setProperty(_STYLE_PROPERTY, template)
    _restyle(widget)


def restyle_all() -> None:
    """Re-fill every `set_style` sheet for the application palette's scheme."""
    # Qt does not tell a child widget that has a style sheet about a palette change (only
    # windows get ApplicationPaletteChange, and propagation skips WA_StyleSheet children), so
    # the switch itself walks the widgets. Rare and cheap: one property read per widget.
    for widget in QApplication.allWidgets():
        _restyle(widget)


def _restyle(widget: QWidget) -> None:
    template = widget.property(_STYLE_PROPERTY)
    if not isinstance(template, str):
        return
    # The application palette, not the widget's: a style sheet background (the banner) would
    # otherwise decide the scheme of its own colours.
    sheet = Template(template).substitute(DARK if is_dark(QGuiApplication.palette()) else LIGHT)
    if widget.styleSheet() != sheet:  # setting a sheet re-polishes the widget: only on a change
        widget.setStyleSheet(sheet)


def dark_palette() -> QPalette:
    """A dark palette for the Fusion style (Qt has none built in)."""
    p = QPalette()
    roles = QPalette.ColorRole
    for role, value in (
        (roles.Window, "#2b2d30"),
        (roles.WindowText, "#e6e6e6"),
        (roles.Base, "#1e1f22"),
        (roles.AlternateBase, "#26282b"),
        (roles.ToolTipBase, "#3c3f41"),
        (roles.ToolTipText, "#e6e6e6"),
        (roles.PlaceholderText, "#8c8f94"),
        (roles.Text, "#e6e6e6"),
        (roles.Button, "#34363a"),
        (roles.ButtonText, "#e6e6e6"),
        (roles.BrightText, "#ff6b6b"),
        (roles.Light, "#45484d"),
        (roles.Midlight, "#3a3c40"),
        (roles.Mid, "#2f3134"),
        (roles.Dark, "#1a1b1d"),
        (roles.Shadow, "#000000"),
        (roles.Highlight, "#2f65ca"),
        (roles.HighlightedText, "#ffffff"),
        (roles.Link, "#7aa7e8"),
        (roles.LinkVisited, "#b39ddb"),
    ):
        p.setColor(role, QColor(value))
    disabled = QPalette.ColorGroup.Disabled
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        p.setColor(disabled, role, QColor("#7a7d82"))
    p.setColor(disabled, roles.Highlight, QColor("#454850"))
    return p


def light_palette() -> QPalette:
    """The Fusion style's own light palette."""
    app = QGuiApplication.instance()
    style = getattr(app, "style", None)
    return style().standardPalette() if callable(style) else QPalette()


def apply_scheme(scheme: Qt.ColorScheme) -> None:
    """Give the application the palette of a colour scheme (Unknown counts as light)."""
    QGuiApplication.setPalette(dark_palette() if scheme == Qt.ColorScheme.Dark else light_palette())
    if isinstance(QGuiApplication.instance(), QApplication):
        restyle_all()


class SystemTheme(QObject):
    """Keeps the application palette on the system's light/dark scheme, now and when it changes."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        hints = QGuiApplication.styleHints()
        hints.colorSchemeChanged.connect(self._on_hints_color_scheme_changed)
        apply_scheme(hints.colorScheme())

    def _on_hints_color_scheme_changed(self, scheme: Qt.ColorScheme) -> None:
        apply_scheme(scheme)
