"""The deterministic demo salon."""
