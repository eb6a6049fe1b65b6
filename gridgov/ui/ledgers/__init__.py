"""Ledger pages: hazards, inspections, problem lists, services, disputes."""
