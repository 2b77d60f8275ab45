import { MirrorEntry } from "../../../gitpodImages/images";
import { PulledImage } from "./settings";

/**
 * The copy and preflight Jobs' inputs and scripts (POSIX sh, run in regctl's Alpine image). regctl compares digests
 * with HEAD requests, which Docker Hub does not count against its pull limit; `regctl image copy` copies every
 * platform of an image and keeps its digest. Each script line names itself; the last line on failure starts with
 * "gitpod-mirror FAILED:" or "gitpod-preflight FAILED:" and lists what is missing and what to do.
 */

/** One line per image, tab separated: target, policy, pinned digest or "-", required or optional, sources (space separated). */
export function copyPlanTsv(plan: MirrorEntry[]): string {
  return (
    plan
      .map((entry) => [entry.target, entry.policy, entry.digest ?? "-", entry.required === false ? "optional" : "required", entry.sources.join(" ")].join("\t"))
      .join("\n") + "\n"
  );
}

/** One image reference per line, as Gitpod will pull it. */
export function preflightList(images: PulledImage[]): string {
  return images.map((image) => image.pullFrom).join("\n") + "\n";
}

const prelude = `set -u
export HOME="\${MIRROR_HOME:-/tmp/home}"
CREDENTIALS="\${CREDENTIALS:-/credentials}"
mkdir -p "$HOME/.docker"
# regctl reads docker logins from ~/.docker/config.json.
if [ -f "$CREDENTIALS/.dockerconfigjson" ]; then cp "$CREDENTIALS/.dockerconfigjson" "$HOME/.docker/config.json"; fi
tab="$(printf '\\t')"
digest() { regctl image digest "$1" 2>/dev/null; }
`;

/** Copies every image of /mirror/plan.tsv that the target lacks (or holds with another digest). Idempotent, resumable. */
export function copyScript(): string {
  return `#!/bin/sh
# Copies Gitpod's images into the stack's mirror (written for this project; see docs/gitpod.md "Mirror").
${prelude}PLAN="\${PLAN:-/mirror/plan.tsv}"
log() { echo "gitpod-mirror: $*"; }
total="$(grep -c . "$PLAN")"; n=0; copied=0; present=0; failed=""; skipped=""
while IFS="$tab" read -r target policy want need sources; do
  [ -n "$target" ] || continue
  n=$((n + 1))
  have="$(digest "$target" || true)"
  if [ -n "$have" ]; then
    if [ "$want" != "-" ] && [ "$have" = "$want" ]; then log "[$n/$total] $target present, pinned digest $have"; present=$((present + 1)); continue; fi
    if [ "$want" = "-" ] && [ "$policy" = copyOnce ]; then log "[$n/$total] $target present ($have), kept: copied once, never refreshed"; present=$((present + 1)); continue; fi
    if [ "$want" = "-" ]; then
      upstream=""
      for source in $sources; do upstream="$(digest "$source" || true)"; [ -z "$upstream" ] || break; done
      if [ -z "$upstream" ] || [ "$upstream" = "$have" ]; then log "[$n/$total] $target present ($have)"; present=$((present + 1)); continue; fi
    fi
  fi
  ok=""
  for source in $sources; do
    log "[$n/$total] copying $source -> $target"
    if regctl image copy "$source" "$target"; then
      got="$(digest "$target" || true)"; from="$(digest "$source" || true)"
      if [ -n "$got" ] && { [ "$want" = "-" ] || [ "$got" = "$want" ]; } && { [ -z "$from" ] || [ "$got" = "$from" ]; }; then
        log "[$n/$total] $target copied from $source, digest $got"; ok=1; copied=$((copied + 1)); break
      fi
      log "[$n/$total] $target digest $got does not match source $from / pinned $want"
    else
      log "[$n/$total] $source did not answer; trying the next source"
    fi
  done
  if [ -z "$ok" ] && [ "$need" = required ]; then failed="$failed
  $target (tried: $sources)"; fi
  if [ -z "$ok" ] && [ "$need" != required ]; then skipped="$skipped $target"; fi
done < "$PLAN"
log "$total images: $copied copied, $present already present"
[ -z "$skipped" ] || log "WARNING: not copied, not used by this stack's configuration:$skipped"
if [ -n "$failed" ]; then
  echo "gitpod-mirror FAILED: these images could not be copied into the mirror:$failed" >&2
  echo "gitpod-mirror FAILED: copy them from a machine that can reach a source (npm run mirror -- --stack <stack> --commands prints the commands), then run pulumi up again: the copy resumes and skips what is present" >&2
  exit 1
fi
`;
}

/** Checks that every image of /preflight/images.txt can be pulled, with the pull credentials Gitpod has. */
export function preflightScript(): string {
  return `#!/bin/sh
# Proves every image Gitpod will use can be pulled from where Gitpod pulls it (written for this project).
${prelude}LIST="\${LIST:-/mirror/images.txt}"
log() { echo "gitpod-preflight: $*"; }
total="$(grep -c . "$LIST")"; n=0; missing=""
while read -r ref; do
  [ -n "$ref" ] || continue
  n=$((n + 1))
  if found="$(regctl manifest head "$ref" 2>&1)"; then log "[$n/$total] $ref $found"; else log "[$n/$total] $ref MISSING: $found"; missing="$missing
  $ref"; fi
done < "$LIST"
if [ -n "$missing" ]; then
  echo "gitpod-preflight FAILED: Gitpod cannot pull these images from where it will pull them:$missing" >&2
  echo "gitpod-preflight FAILED: with a mirror, check the copy Job's log (namespace gitpod-mirror) and the registry's pull credential; without one, the upstream source is gone or rate-limited: mirror the images (docs/gitpod.md, npm run mirror -- --stack <stack> --commands)" >&2
  exit 1
fi
log "all $total images can be pulled"
`;
}
