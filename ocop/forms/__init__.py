"""Forms of the shared parts, one module per topic: cycles and their steps, logging in, shared widgets."""
