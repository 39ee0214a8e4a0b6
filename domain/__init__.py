"""The petition tracker's domain model: the Petition aggregate, its events and rules.

Pure Python and the eventsourcing library; nothing here knows about HTTP or SQL.
"""
