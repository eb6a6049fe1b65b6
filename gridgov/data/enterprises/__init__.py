"""Enterprises, hazard ledger (two books) and enterprise service requests."""
