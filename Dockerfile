# Quartiere bot container image.
#
#   docker build -t quartiere-bot .
#   docker run -d -e BOT_TOKEN=123456:ABC... -v quartiere-data:/app/data quartiere-bot
#
# Without DATABASE_URL the bot keeps a SQLite database in the /app/data volume;
# docker-compose.yml runs it with PostgreSQL and Redis instead. Other commands
# run the same way: `docker run --rm ... quartiere-bot staff list`.

ARG PYTHON_IMAGE=python:3.11.13-slim-bookworm

# Builder: installs the project and its dependencies into /opt/venv; building the
# project compiles the gettext catalogs (setup.py), so the .mo files come with it.
FROM ${PYTHON_IMAGE} AS builder

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN python -m venv /opt/venv

WORKDIR /src
# The dependencies first, at the exact versions and hashes of the lock file, so this layer is
# rebuilt only when the lock changes; then the project itself, built with the locked tools.
COPY requirements.lock ./
RUN /opt/venv/bin/pip install --no-cache-dir --require-hashes --no-deps -r requirements.lock
COPY . .
RUN /opt/venv/bin/pip install --no-cache-dir --no-deps --no-build-isolation . \
    && /opt/venv/bin/python -c "from pathlib import Path; from locales import locales_dir; found = sorted(p.parent.parent.name for p in Path(locales_dir()).glob('*/LC_MESSAGES/messages.mo')); assert found, 'no compiled catalogs in the installed package'; print('catalogs:', ', '.join(found))" \
    && /opt/venv/bin/quartiere-bot --help > /dev/null

# Runtime: the same base image, the virtualenv only, an unprivileged user.
FROM ${PYTHON_IMAGE} AS runtime

ARG APP_UID=10001
ARG APP_GID=10001

RUN groupadd --system --gid "${APP_GID}" quartiere \
    && useradd --system --uid "${APP_UID}" --gid quartiere --home-dir /app \
        --no-create-home --shell /usr/sbin/nologin quartiere

COPY --from=builder /opt/venv /opt/venv

# HEALTH_LISTEN on all interfaces: the health check and orchestrators reach /healthz
# from outside the process's loopback. The default DATABASE_URL (a SQLite file under
# data/, relative to the working directory) lands in the /app/data volume. matplotlib
# (the /report charts) keeps its font cache in MPLCONFIGDIR: /app is not writable.
ENV PATH="/opt/venv/bin:${PATH}" \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HEALTH_LISTEN=0.0.0.0:8081 \
    MPLCONFIGDIR=/tmp/matplotlib

WORKDIR /app
RUN install -d -o quartiere -g quartiere -m 0750 /app/data
VOLUME ["/app/data"]

USER ${APP_UID}:${APP_GID}

# 8080: webhook mode (WEBHOOK_LISTEN); 8081: /healthz (HEALTH_LISTEN).
EXPOSE 8080 8081

# Slim images have no curl; python's urllib fails (exit 1) on a refused connection or a 503.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; port = os.environ.get('HEALTH_LISTEN', ':8081').rpartition(':')[2]; urllib.request.urlopen(f'http://127.0.0.1:{port}/healthz', timeout=4)"]

ENTRYPOINT ["quartiere-bot"]
CMD ["run"]
