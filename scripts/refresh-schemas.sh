#!/usr/bin/env bash
# Refreshes the vendored upstream schemas in facts/schemas/ for new chart or release versions. Run by hand, with
# network access; then review `git diff`, run `npm test`, and update facts/schemas/README.md (tags, commits, the
# blob column: the script prints each file's `git hash-object`).
#
# It downloads into a temporary directory first and only then copies over the files listed below (byte-for-byte
# upstream copies) and the *.v1.schema.json it derives from the CRDs (scripts/schemas/deriveCrdSchema.js, exactly as
# the README describes). It never deletes a file, and writes no file but those.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: scripts/refresh-schemas.sh [--cert-manager TAG] [--velero TAG] [--velero-chart VERSION] [--external-dns-chart VERSION]

Downloads the upstream files of the given versions into facts/schemas/ (only those named; at least one) and
re-derives the CRD schemas. Versions as upstream tags them, e.g.:
  --cert-manager v1.21.1 --velero v1.18.2 --velero-chart 12.1.0 --external-dns-chart 1.21.1
EOF
}

fail_usage() {
  usage >&2
  printf '\nerror: %s\n' "$1" >&2
  exit 2
}

cert_manager="" velero="" velero_chart="" external_dns_chart=""
while [ $# -gt 0 ]; do
  arg="$1"
  case "$arg" in
    --help | -h) usage; exit 0 ;;
    --*=*) value="${arg#*=}"; arg="${arg%%=*}" ;;
    --*) [ $# -ge 2 ] && [ -n "$2" ] && [ "${2#--}" = "$2" ] || fail_usage "$arg needs a value"; value="$2"; shift ;;
    *) fail_usage "unexpected argument $arg" ;;
  esac
  [[ "$value" =~ ^v?[0-9]+\.[0-9]+\.[0-9]+$ ]] || fail_usage "$arg $value: must be a release version such as 1.21.1 or v1.21.1"
  case "$arg" in
    --cert-manager) cert_manager="$value" ;;
    --velero) velero="$value" ;;
    --velero-chart) velero_chart="$value" ;;
    --external-dns-chart) external_dns_chart="$value" ;;
    *) fail_usage "unknown option $arg" ;;
  esac
  shift
done
[ -n "$cert_manager$velero$velero_chart$external_dns_chart" ] || fail_usage "name at least one version to refresh"

root="$(cd "$(dirname "$0")/.." && pwd)"
schemas="$root/facts/schemas"
download="$(mktemp -d)"
trap 'rm -rf "$download"' EXIT

# fetch <repo> <ref> <upstream path> <folder under facts/schemas>; REFRESH_SCHEMAS_SOURCE replaces GitHub (tests: file://)
fetch() {
  mkdir -p "$download/$4"
  curl --fail --silent --show-error --location "${REFRESH_SCHEMAS_SOURCE:-https://raw.githubusercontent.com}/$1/$2/$3" -o "$download/$4/$(basename "$3")"
}

if [ -n "$cert_manager" ]; then
  for crd in certificates clusterissuers issuers; do
    fetch cert-manager/cert-manager "$cert_manager" "deploy/crds/cert-manager.io_$crd.yaml" cert-manager
  done
  fetch cert-manager/cert-manager "$cert_manager" deploy/charts/cert-manager/values.schema.json cert-manager
fi
if [ -n "$velero" ]; then
  for crd in schedules backups restores backupstoragelocations volumesnapshotlocations; do
    fetch velero-io/velero "$velero" "config/crd/v1/bases/velero.io_$crd.yaml" velero
  done
fi
if [ -n "$velero_chart" ]; then
  for file in values.yaml values.schema.json Chart.yaml; do
    fetch vmware-tanzu/helm-charts "velero-${velero_chart#v}" "charts/velero/$file" velero-chart
  done
fi
if [ -n "$external_dns_chart" ]; then
  for file in values.yaml values.schema.json Chart.yaml; do
    fetch kubernetes-sigs/external-dns "external-dns-helm-chart-${external_dns_chart#v}" "charts/external-dns/$file" external-dns-chart
  done
fi

# Everything downloaded: now copy over, and derive the CRD schemas next to their CRDs.
for folder in "$download"/*/; do
  name="$(basename "$folder")"
  mkdir -p "$schemas/$name"
  for file in "$folder"*; do
    cp "$file" "$schemas/$name/"
    written="$schemas/$name/$(basename "$file")"
    printf '%s  %s\n' "$(git hash-object "$written")" "${written#"$root"/}"
    case "$file" in
      *.io_*.yaml)
        derived="$(node "$root/scripts/schemas/deriveCrdSchema.js" "$written" "$schemas/$name")"
        printf '%s  %s (derived)\n' "$(git hash-object "$derived")" "${derived#"$root"/}"
        ;;
    esac
  done
done
echo "Now update facts/schemas/README.md with the versions, commits and blobs above, and run npm test."
