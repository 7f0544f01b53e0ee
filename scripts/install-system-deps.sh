#!/usr/bin/env bash
# Debian packages the test suites need. Idempotent: installs only what is missing.
#   g++, make, python3   build native modules (better-sqlite3)
#   openssh-server       /usr/sbin/sshd for the test fleet (test/support/sshd.ts)
#   openssh-client       ssh and ssh-keygen for the same fleet
#   chromium             /usr/bin/chromium for the end-to-end browser tests (test/e2e), driven
#                        by playwright-core; `npx playwright install` is never needed
#   ansible-core         ansible-inventory, the reference the Ansible inventory import is
#                        checked against (test/cli/ansible-*.test.ts); ansible-playbook for
#                        `npm run bench -- ansible`, on the bench's own sshds on loopback only
#   redis-server         the Redis the runner suites start on 127.0.0.1 with a password and no
#                        persistence (test/support/redis.ts), for BullMQ between owner and runners
# The system sshd and redis services are never enabled or started: the suites run their own
# sshd and redis-server processes on 127.0.0.x with configs in temp folders.
set -euo pipefail

need=()
command -v g++ >/dev/null 2>&1 || need+=(g++)
command -v make >/dev/null 2>&1 || need+=(make)
command -v python3 >/dev/null 2>&1 || need+=(python3)
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
{ command -v ssh >/dev/null 2>&1 && command -v ssh-keygen >/dev/null 2>&1; } || need+=(openssh-client)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v ansible-inventory >/dev/null 2>&1 || need+=(ansible-core)
[ -x /usr/bin/redis-server ] || need+=(redis-server)

[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages: ${need[*]} (run as root, or install them: apt-get install ${need[*]})" >&2
  exit 1
fi

# Debian's maintainer scripts start a freshly installed service through invoke-rc.d,
# which asks /usr/sbin/policy-rc.d first; exit code 101 means "action forbidden".
# Only a policy file we created ourselves is removed again. apt and debconf chatter goes
# to a log that is shown only when something fails.
policy=/usr/sbin/policy-rc.d
created_policy=0
log=$(mktemp)
cleanup() {
  if [ "$created_policy" -eq 1 ]; then rm -f "$policy"; fi
  rm -f "$log"
}
trap cleanup EXIT
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\n# Written by flowdeck scripts/install-system-deps.sh: start no service during install.\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  created_policy=1
fi

export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}"; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "apt-get install ${need[*]} failed" >&2
  exit 1
fi

# The package's postinst also enables the service for the next boot (policy-rc.d only
# stops it starting now). We installed it for the tests, not as a login service: undo that.
if [[ " ${need[*]} " == *" openssh-server "* ]]; then
  if command -v systemctl >/dev/null 2>&1; then
    systemctl disable --quiet ssh.service >/dev/null 2>&1 || echo "warning: could not disable ssh.service" >&2
  elif command -v update-rc.d >/dev/null 2>&1; then
    update-rc.d ssh disable >/dev/null 2>&1 || echo "warning: could not disable the ssh init script" >&2
  fi
fi
if [[ " ${need[*]} " == *" redis-server "* ]]; then
  if command -v systemctl >/dev/null 2>&1; then
    systemctl disable --quiet redis-server.service >/dev/null 2>&1 || echo "warning: could not disable redis-server.service" >&2
  elif command -v update-rc.d >/dev/null 2>&1; then
    update-rc.d redis-server disable >/dev/null 2>&1 || echo "warning: could not disable the redis-server init script" >&2
  fi
fi
