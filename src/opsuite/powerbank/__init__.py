"""Power-bank rental: org units, users, cabinets and their slots, borrow and return."""
