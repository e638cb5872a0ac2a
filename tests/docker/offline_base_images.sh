#!/usr/bin/env bash
# Build stand-ins for the images the Dockerfile and docker-compose.yml start FROM, for a
# machine whose Docker engine cannot reach Docker Hub (but reaches Debian's mirror and PyPI):
#   vestnik-local/python:3.11-slim  Debian bookworm's Python 3.11 in a venv at /usr/local,
#                                   so `pip` and console scripts live where the official
#                                   python:3.11-slim keeps them;
#   vestnik-local/redis:7           Debian bookworm's redis-server and redis-cli.
# The machine's extra CA certificates (a TLS-inspecting proxy's) are trusted inside, so pip
# can reach PyPI from a build. Then run the docker tests against them:
#   VESTNIK_DOCKER_PYTHON_IMAGE=vestnik-local/python:3.11-slim \
#   VESTNIK_DOCKER_REDIS_IMAGE=vestnik-local/redis:7 .venv/bin/pytest -m docker
# Needs root, debootstrap and a running Docker engine.
set -euo pipefail

MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

debootstrap --variant=minbase \
  --include=python3,python3-venv,ca-certificates,redis-server,tzdata \
  bookworm "$work/root" "$MIRROR"
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  cp /usr/local/share/ca-certificates/*.crt "$work/root/usr/local/share/ca-certificates/"
  chroot "$work/root" update-ca-certificates
fi
chroot "$work/root" python3 -m venv /usr/local
# Debian 12's Python is 3.11.2, below 3.11.3, where redis-py still imports async-timeout
# (python:3.11-slim is newer and does not need it; the locks, made on a newer 3.11, omit it).
cp -L /etc/resolv.conf "$work/root/etc/resolv.conf"
chroot "$work/root" /usr/local/bin/pip install --no-cache-dir "async-timeout==5.0.1"
chroot "$work/root" apt-get clean
rm -rf "$work/root/var/lib/apt/lists/"*

tar -C "$work/root" -c . | docker import \
  --change 'ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/bin:/usr/sbin:/bin:/sbin' \
  --change 'ENV LANG=C.UTF-8' \
  --change 'CMD ["python3"]' \
  - vestnik-local/python:3.11-slim
docker tag vestnik-local/python:3.11-slim vestnik-local/redis:7
echo "built vestnik-local/python:3.11-slim and vestnik-local/redis:7"
