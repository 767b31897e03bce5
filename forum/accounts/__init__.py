"""Accounts: users, community memberships with household verification, and roles."""
