"""Voting models (the voting helper fills this in)."""
