"""Deliberations (议事): council sessions on proposals, with participants, agenda and minutes."""
