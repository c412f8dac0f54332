"""Models of the subjects app (filled in by its issue)."""
