"""frontdesk: a keyboard-driven terminal front desk for salons, spas and clinics."""

__version__ = "0.1.0"
