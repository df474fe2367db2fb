"""Alembic env: always handed a live connection by frontdesk.db.migrate."""

from __future__ import annotations

from alembic import context

from frontdesk.db.tables import full_metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Run migrations through `frontdesk db upgrade`, not the alembic CLI.")

context.configure(
    connection=connection,
    target_metadata=full_metadata(),
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
