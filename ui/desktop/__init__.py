"""The Qt desktop front end: a thin shell over LeadBook (imported only when the window opens)."""
