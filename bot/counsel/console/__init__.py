"""The counsellor web console at /counsellor: routes, pages, sessions and templates."""
