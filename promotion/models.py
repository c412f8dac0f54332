"""Models of the promotion app (filled in by its issue)."""
