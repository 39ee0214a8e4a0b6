# The petition tracker: API, projection workers and command line in one image.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

# Dependencies first, in their own layer: it is rebuilt only when pyproject.toml changes.
COPY pyproject.toml README.md ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > requirements.txt \
    && pip install -r requirements.txt

COPY domain domain
COPY projections projections
COPY api api
COPY workers workers
COPY service service
RUN pip install --no-deps . \
    && useradd --create-home --uid 10001 petitions \
    && mkdir -p /var/lib/petitions && chown petitions /var/lib/petitions

USER petitions
ENV PETITIONS_DATA_DIR=/var/lib/petitions LOG_FORMAT=json
EXPOSE 8000
CMD ["petitions", "api", "--host", "0.0.0.0", "--port", "8000"]
