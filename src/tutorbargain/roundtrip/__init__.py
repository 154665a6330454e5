"""Word files that come back: reading a package, its provenance, redlines, and keeping a
team's edits."""
