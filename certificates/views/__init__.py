"""Views of the certificates app, one module per part of the work."""
