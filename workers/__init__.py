"""Long-running processes: projection runners and the deadline policy."""
