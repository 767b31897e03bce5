"""The home page, the privacy notice and the per-browser settings."""
