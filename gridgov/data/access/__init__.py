"""API tokens, Open311 API keys and idempotency records."""
