"""Indicators, rollups and rankings computed from cases."""
