"""Rules and state machines as plain Python: no framework, no I/O."""
