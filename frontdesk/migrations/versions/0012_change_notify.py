"""change notify: PostgreSQL tells every listening terminal what a commit changed

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29 14:00:00.000000

Issue 15, item 1: a desk shows another terminal's spend within a second. On PostgreSQL an
AFTER trigger on each table a desk shows (balances and their entries, appointments and
their add-ons, open and completed tickets, the client row, memberships) sends
`pg_notify('frontdesk_changes', '<table>:<client id>')`. A trigger, not the services,
so raw SQL and other tools are seen too. PostgreSQL delivers the notifications only
when the transaction commits, and folds identical ones, so a checkout of many entries
for one client is a handful of short messages. SQLite needs nothing here: its terminals
watch `PRAGMA data_version` (frontdesk/db/change_signal.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANNEL = "frontdesk_changes"
FUNCTION = "frontdesk_notify_change"
# The tables whose changes a desk shows; keep in step with frontdesk/views/changes.py.
TABLES = (
    "clients",
    "memberships",
    "stored_value_accounts",
    "ledger_entries",
    "appointments",
    "appointment_addons",
    "open_tickets",
    "tickets",
)

# The client a row belongs to: its own client_id, or through its account (ledger
# entries) or its appointment (add-ons); "" when none is found (read as "anyone").
CREATE_FUNCTION = f"""
CREATE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r jsonb;
    client text;
BEGIN
    IF TG_OP = 'DELETE' THEN r := to_jsonb(OLD); ELSE r := to_jsonb(NEW); END IF;
    client := CASE WHEN TG_TABLE_NAME = 'clients' THEN r ->> 'id' ELSE r ->> 'client_id' END;
    IF client IS NULL AND r ? 'account_id' THEN
        SELECT a.client_id::text INTO client
        FROM stored_value_accounts a WHERE a.id = (r ->> 'account_id')::bigint;
    END IF;
    IF client IS NULL AND r ? 'appointment_id' THEN
        SELECT a.client_id::text INTO client
        FROM appointments a WHERE a.id = (r ->> 'appointment_id')::bigint;
    END IF;
    PERFORM pg_notify('{CHANNEL}', TG_TABLE_NAME || ':' || coalesce(client, ''));
    RETURN NULL;
END $$
"""


def _trigger(table: str) -> str:
    return f"{table}_notify_change"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(CREATE_FUNCTION)
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER {_trigger(table)} AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"DROP TRIGGER {_trigger(table)} ON {table}")
    op.execute(f"DROP FUNCTION {FUNCTION}()")
