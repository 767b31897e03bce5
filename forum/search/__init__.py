"""Search (搜索): one index of the site's public content, kept in step through an outbox."""
