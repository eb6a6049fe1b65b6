"""Inspection rounds (督查), their problems, scores and bulletins."""
