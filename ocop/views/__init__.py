"""Views of the shared parts, one module per topic: the shared pages, files prepared in the background."""
