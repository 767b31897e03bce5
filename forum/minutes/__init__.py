"""Minutes (会议纪要) of a deliberation: versioned, approved, published, never silently changed."""
