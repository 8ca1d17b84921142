"""Durable jobs: claimed with a lease, retried with backoff, exhausted ones left visible to staff."""
