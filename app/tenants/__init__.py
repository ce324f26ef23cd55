"""THE tenancy layer: a CPTS is a tenant. Everything that keeps one tenant's data from another
lives here: the Tenant model and TenantScoped mixin (models, scoped), the binding of a tenant to
the unit of work and the escape hatch (context), the ORM guard (guard, session), PostgreSQL
row-level security (postgres), and the resolution of /t/<slug>/ (resolver)."""
