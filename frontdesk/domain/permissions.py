"""Permission names a staff role can hold; the services check them before acting."""

# Deduct a client's Beauty Bank below zero (seed 003: "an accidental deduction that takes
# a patient's balance ... below zero").
PERM_WALLET_NEGATIVE = "adjust_wallet_negative"
# Create, edit or view a client's transformation log and goals (seed 001).
PERM_TRANSFORMATION = "edit_transformation_log"
