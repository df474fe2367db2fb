"""Permission names a staff role can hold; the services check them before acting."""

# Deduct a client's Beauty Bank below zero (docs/rules.md#beauty-bank, W3).
PERM_WALLET_NEGATIVE = "adjust_wallet_negative"
# Create, edit or view a client's transformation log and goals (docs/rules.md#client-profile, F1).
PERM_TRANSFORMATION = "edit_transformation_log"
