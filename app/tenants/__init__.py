"""THE tenancy mechanism: a CPTS is a tenant. Everything that keeps one tenant's data from
another lives here, and nothing of the domain: the binding of a tenant to the unit of work and
the one escape hatch (context), the TenantScoped mixin (scoped), the ORM guard (guard, session),
PostgreSQL row-level security and its migration helpers (postgres, migrations), the resolution
of /t/<slug>/ (resolver), and the tenant registry itself (models)."""
