"""Getting contacts in: sniff, read, recognize known layouts and map columns to fields."""
