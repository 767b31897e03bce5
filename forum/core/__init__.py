"""Shared mechanisms: model base, workflow, permissions, rendering, audit, time."""
