"""Excel import/export framework: templates, dry runs, atomic imports with progress."""
