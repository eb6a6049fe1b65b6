"""Open311 GeoReport v2."""
