"""The desktop Import Wizard: source, preview, mapping, dry run, import and report."""
