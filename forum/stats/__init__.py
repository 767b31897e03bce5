"""Statistics (/stats/) and ledgers (台账): figures and exports computed from the site's own data."""
