"""Group-rental houses' fire-safety rectifications (群租房整改): each a hazard-style case with a ledger row."""
