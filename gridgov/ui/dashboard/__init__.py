"""Leaders' dashboard, indicators, rankings, bulletins, year in review."""
