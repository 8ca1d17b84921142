"""In-memory stand-ins for the database (issue 15): use cases run against them in milliseconds."""
