"""Read models: one module per view, each with its SQL schema, the event handlers that
maintain it, and the queries the API calls. They know events, not the API."""
