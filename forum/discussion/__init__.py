"""Discussion threads on needs, resources, projects, proposals and deliberations."""
