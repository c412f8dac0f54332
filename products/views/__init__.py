"""Views of the products app, one module per part of the work."""
