"""Views of the evaluation app, one module per part of the work."""
