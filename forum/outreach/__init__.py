"""Outreach: posters and QR codes for notice boards, and following (关注) items."""
