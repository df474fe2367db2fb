"""Data layer: tables, engine/session factory, migrations runner, ledger posting."""
