"""Models of the products app (filled in by its issue)."""
