"""Server-rendered web pages for the clerk, the committee, the departments and the auditors,
over the same use cases as the HTTP API (``api.petitions``, ``api.views``, ``api.audit``)."""
