"""Alembic environment and versions; shipped inside the package so installs can upgrade."""
