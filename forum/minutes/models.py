"""Minutes models (the minutes helper fills this in)."""
