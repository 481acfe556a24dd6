#!/usr/bin/env bash
# Makes sure what the tests need is here: PostgreSQL on 127.0.0.1:5432, Redis on 127.0.0.1:6379 and
# Chromium at /usr/bin/chromium. Starts a service that is installed but stopped; installs what is
# missing from Debian's packages when running as root. Points elsewhere via TEST_DATABASE_URL and
# TEST_REDIS_URL are left alone.
set -uo pipefail

have_port() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
as_root() { [ "$(id -u)" = 0 ]; }
apt_updated=0
apt_install() {
  as_root || { echo "services: $* is missing; install it (apt-get install -y $*) and run again" >&2; return 1; }
  if [ "$apt_updated" = 0 ]; then apt-get update -qq >/dev/null && apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if [ -z "${TEST_DATABASE_URL:-}" ] && ! have_port 5432; then
  if ! ls /etc/postgresql >/dev/null 2>&1; then apt_install postgresql || exit 1; fi
  echo "services: starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  for _ in $(seq 1 30); do have_port 5432 && break; sleep 0.5; done
  have_port 5432 || { echo "services: PostgreSQL did not come up on 127.0.0.1:5432" >&2; exit 1; }
fi

if [ -z "${TEST_REDIS_URL:-}" ] && ! have_port 6379; then
  command -v redis-server >/dev/null || apt_install redis-server || exit 1
  echo "services: starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
  for _ in $(seq 1 30); do have_port 6379 && break; sleep 0.5; done
  have_port 6379 || { echo "services: Redis did not come up on 127.0.0.1:6379" >&2; exit 1; }
fi

if [ ! -x /usr/bin/chromium ]; then
  echo "services: installing Chromium for the browser tests"
  apt_install chromium || exit 1
fi
# Fonts for the screenshots: emoji and CJK titles otherwise show as boxes.
if command -v dpkg >/dev/null && ! dpkg -s fonts-noto-color-emoji fonts-wqy-zenhei >/dev/null 2>&1; then
  apt_install fonts-noto-color-emoji fonts-wqy-zenhei || echo "services: could not install fonts; screenshots may show boxes" >&2
fi
exit 0
