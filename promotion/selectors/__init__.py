"""Reads of trade promotion, one module per part of the work: activities (events, sales points, training,
targets), the dashboard's figures, the public catalogue."""
