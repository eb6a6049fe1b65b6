"""Problem lists (问题清单) and their items."""
