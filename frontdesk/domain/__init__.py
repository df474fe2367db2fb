"""Pure front-desk rules: money, parsing, Use/Buy add-ons, prepaid visits, checkout order,
commission, Beauty Bank wallet and ledger vocabulary.

Nothing in this package does I/O or imports SQLAlchemy, Textual or any other part of
``frontdesk``, so every rule can be tested in microseconds and reused by any service.
"""
