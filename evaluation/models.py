"""Models of the evaluation app (filled in by its issue)."""
