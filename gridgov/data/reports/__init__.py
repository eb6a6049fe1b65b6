"""Bulletins (通报), year in review and economic/social indicators."""
