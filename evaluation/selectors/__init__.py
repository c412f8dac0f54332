"""Reads of the evaluation app, one module per part of the work: councils and sessions (who sees which, the
agenda), scoring (a member's queue and sheet), results (a session's close, decisions, nominations), sheets."""
