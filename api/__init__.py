"""The HTTP API (FastAPI): routers, request/response schemas, auth, error mapping."""
