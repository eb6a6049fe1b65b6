"""REST API with OpenAPI."""
