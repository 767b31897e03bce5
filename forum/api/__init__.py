"""Open data: read-only JSON of the public needs, resources, projects, proposals, deliberations and polls."""
