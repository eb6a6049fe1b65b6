"""Import of history from the previous platform."""
