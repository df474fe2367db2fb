"""Use cases: one async function each, one transaction each, frozen read models out."""
