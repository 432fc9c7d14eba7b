"""Leadsmith: no arguments opens the desktop app; a subcommand runs the CLI (`leadsmith --help`)."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Dispatch to the desktop app or the command line."""
    args = sys.argv[1:] if argv is None else argv
    desktop_flags = {"--db"}
    if not args or (args[0] in desktop_flags and len(args) == 2):
        from ui.desktop.launch import launch

        return launch(args)
    from ui.cli import run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
