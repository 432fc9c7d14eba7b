"""SQLite storage of the book: opening, pragmas, migrations and the SQL the facade runs."""
