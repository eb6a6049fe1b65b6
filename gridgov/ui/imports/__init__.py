"""Excel import pages: template, dry run, progress."""
