"""The client profile's tabs: one `ProfileTab` widget per tab (see base.py)."""
