FROM python:3.11-slim
WORKDIR /app
RUN useradd --create-home --uid 10001 petitions
COPY pyproject.toml README.md ./
COPY domain domain
COPY projections projections
COPY api api
COPY workers workers
COPY service service
RUN pip install --no-cache-dir .
USER petitions
CMD ["petitions", "serve"]
