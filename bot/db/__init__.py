"""Storage: SQLAlchemy tables, migrations and the transactional store with its outbox."""
