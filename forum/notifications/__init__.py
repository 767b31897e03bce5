"""In-app notifications: a bell with the unread count, the list, marking read."""
