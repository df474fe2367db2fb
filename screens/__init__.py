"""The Textual front desk: the app shell, one module per screen, reusable widgets."""
