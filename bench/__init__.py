"""Benchmarks (see README.md); scale.py writes the national-volume data of `manage.py seed_scale`."""
