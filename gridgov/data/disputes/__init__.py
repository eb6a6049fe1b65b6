"""Petitions and disputes (信访, 矛盾纠纷, 劳资纠纷)."""
