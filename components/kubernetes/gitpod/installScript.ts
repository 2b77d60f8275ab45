import { httpsCertificateSecret } from "./installerConfig";

/**
 * The installer Job's script and its time budget. It does what Gitpod's own KOTS install script did
 * (install/installer/scripts/kots-install.sh at 2022.11.3), minus what this program does in Pulumi:
 * clear a release an interrupted run left pending, stop running workspaces before an upgrade, and
 * `helm upgrade --wait` without `--wait-for-jobs` (Gitpod's Jobs delete themselves 60 s after they finish, and Helm
 * 3.8's wait fails on a Job it cannot find).
 */

/** Helm release name of the rendered Gitpod installation. */
export const helmReleaseName = "gitpod";

/** Time for the steps that are not waits: validations, render, clearing a release, a rollback without wait, checks. */
const fixedMinutes = 5;

export interface InstallTimeouts {
  /** Waiting for the wildcard certificate (first issuance needs the domain delegated). */
  certificateMinutes: number;
  /** Waiting for running workspaces to stop (their content is backed up) before an upgrade. */
  workspaceStopMinutes: number;
  /** `helm upgrade --wait`: until every workload is ready. */
  helmMinutes: number;
  /** The Job's activeDeadlineSeconds, in minutes: every step above, plus the fixed steps. Pulumi waits 5 minutes more. */
  jobMinutes: number;
}

/**
 * Splits `gitpod.installTimeoutMinutes` between the steps so that the Job's deadline covers all of them: a Job killed
 * at its deadline mid-Helm leaves the release pending (the next run clears it, but the install failed).
 */
export function installTimeouts(totalMinutes: number): InstallTimeouts {
  const certificateMinutes = Math.max(5, Math.floor(totalMinutes / 4));
  const workspaceStopMinutes = totalMinutes >= 30 ? 5 : 2;
  const helmMinutes = totalMinutes - certificateMinutes - workspaceStopMinutes - fixedMinutes;
  if (helmMinutes < 5) throw new Error(`installTimeoutMinutes ${totalMinutes} leaves Helm ${helmMinutes} minutes; the minimum is 20`);
  return { certificateMinutes, workspaceStopMinutes, helmMinutes, jobMinutes: totalMinutes };
}

/** Kubeconfig of the Job's own ServiceAccount; `gitpod-installer validate cluster` and gpctl insist on a kubeconfig file. */
export function inClusterKubeconfig(namespace: string): string {
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    "  - name: in-cluster",
    "    cluster:",
    "      server: https://kubernetes.default.svc",
    "      certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt",
    "users:",
    "  - name: gitpod-installer",
    "    user:",
    "      tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token",
    "contexts:",
    "  - name: in-cluster",
    "    context:",
    "      cluster: in-cluster",
    "      user: gitpod-installer",
    `      namespace: ${namespace}`,
    "current-context: in-cluster",
    "",
  ].join("\n");
}

/**
 * The Job's script. Every step names itself; the first failure ends the Job with a line starting
 * "gitpod-install FAILED:" that says what to check, and Pulumi reports the Job as failed.
 */
export function installScript(): string {
  return `#!/bin/bash
# Installs or upgrades Gitpod from /installer/gitpod.config.yaml. Environment: NAMESPACE, DOMAIN, GITPOD_VERSION,
# CERTIFICATE_TIMEOUT, WORKSPACE_STOP_TIMEOUT, HELM_TIMEOUT, KUBECONFIG, SCALE_FROM_ZERO_LABELS, WORKSPACE_NODE_DAEMONSET.
# Written for this project; runs in the Gitpod installer image (bash, curl, jq, kubectl, helm 3.8, /app/gpctl).
set -euo pipefail
CONFIG="\${CONFIG:-/installer/gitpod.config.yaml}"
INSTALLER="\${INSTALLER:-/app/installer}"
GPCTL="\${GPCTL:-/app/gpctl}"
WORK="\${WORK:-/tmp/gitpod}"
RELEASE=${helmReleaseName}

step() { echo "gitpod-install: $*"; }
fail() { echo "gitpod-install FAILED: $*" >&2; exit 1; }
# "<status> <revision>" of the release, "none 0" when there is none.
release_state() { helm status "\${RELEASE}" --namespace "\${NAMESPACE}" -o json 2>/dev/null | jq -r '"\\(.info.status) \\(.version)"' || echo "none 0"; }
# Back to the newest revision before $1 that was deployed; uninstall when there is none (a first install).
back_to_last_good() {
  local target
  # Called after ||, where set -e is off: a failed look-up must not read as "never deployed".
  target="$(helm history "\${RELEASE}" --namespace "\${NAMESPACE}" -o json | jq -r --argjson current "$1" \\
    '[.[] | select(.revision < $current and (.status == "deployed" or .status == "superseded"))] | last | .revision // empty')" || return 1
  if [ -n "\${target}" ]; then
    step "rolling release \${RELEASE} back to revision \${target}"
    helm rollback "\${RELEASE}" "\${target}" --namespace "\${NAMESPACE}"
  else
    step "uninstalling release \${RELEASE}: no revision was ever deployed"
    helm uninstall "\${RELEASE}" --namespace "\${NAMESPACE}"
  fi
}

rm -rf "\${WORK}" && mkdir -p "\${WORK}/templates"

step "installer $("\${INSTALLER}" version 2>/dev/null | tr '\\n' ' ') for Gitpod \${GITPOD_VERSION} into namespace \${NAMESPACE}"

step "1/7 validating the installer config"
"\${INSTALLER}" validate config --config "\${CONFIG}" || fail "the installer rejected gitpod.config.yaml (see above); fix the stack config"

step "2/7 waiting up to \${CERTIFICATE_TIMEOUT} for certificate ${httpsCertificateSecret}"
if ! kubectl wait --namespace "\${NAMESPACE}" --for=condition=Ready "certificate/${httpsCertificateSecret}" --timeout="\${CERTIFICATE_TIMEOUT}"; then
  kubectl describe --namespace "\${NAMESPACE}" "certificate/${httpsCertificateSecret}" || true
  fail "certificate ${httpsCertificateSecret} is not Ready: is \${DOMAIN} delegated to the stack's nameServers, and is cert-manager's DNS-01 solver allowed to write the zone?"
fi

step "3/7 checking the workspace nodes (user namespaces allowed, kernel >= 5.4)"
if ! kubectl rollout status --namespace "\${NAMESPACE}" "daemonset/\${WORKSPACE_NODE_DAEMONSET}" --timeout=2m; then
  kubectl get pods --namespace "\${NAMESPACE}" -l "app.kubernetes.io/name=\${WORKSPACE_NODE_DAEMONSET}" -o wide || true
  fail "daemonset \${WORKSPACE_NODE_DAEMONSET} is not ready on every workspace node: its log says which node has a kernel older than 5.4 or refuses kernel.apparmor_restrict_unprivileged_userns=0"
fi

step "4/7 validating the cluster (node labels, secrets, cert-manager, containerd, kernel >= 5.4 on every node)"
if ! "\${INSTALLER}" validate cluster --kubeconfig "\${KUBECONFIG}" --namespace "\${NAMESPACE}" --config "\${CONFIG}" 2> "\${WORK}/cluster.json"; then
  cat "\${WORK}/cluster.json" >&2
  # Pools that scale from zero (SCALE_FROM_ZERO_LABELS) may have no node yet; only their missing labels are tolerated.
  blocking="$(jq -e -r --arg tolerated "\${SCALE_FROM_ZERO_LABELS:-}" '
    ($tolerated | split(" ") | map(select(. != "")) | map("Affinity label not found in cluster: " + .)) as $ok
    | [.items[] | .errors[]? | select(.type == "ERROR") | .message | select(. as $m | $ok | index($m) | not)] | join("; ")
  ' "\${WORK}/cluster.json" 2>/dev/null)" || blocking="the validation output above is not the installer's JSON report"
  [ -z "\${blocking}" ] || fail "cluster validation failed: \${blocking}"
  step "only labels of pools that scale from zero are missing (\${SCALE_FROM_ZERO_LABELS}); continuing"
fi

step "5/7 rendering the manifests"
"\${INSTALLER}" render --config "\${CONFIG}" --namespace "\${NAMESPACE}" > "\${WORK}/rendered.yaml" || fail "render failed"
# Gitpod's manifests contain Go template text of their own; make Helm emit those lines verbatim.
sed -E 's/^(.*\\{\\{.*)$/{{\`\\1\`}}/' "\${WORK}/rendered.yaml" > "\${WORK}/templates/gitpod.yaml"
printf 'apiVersion: v2\\nname: gitpod\\nversion: %s\\nappVersion: "%s"\\n' "\${GITPOD_VERSION}" "\${GITPOD_VERSION}" > "\${WORK}/Chart.yaml"
step "rendered $(grep -c '^kind:' "\${WORK}/rendered.yaml") objects"

step "6/7 preparing release \${RELEASE}"
read -r status revision <<< "$(release_state)"
case "\${status}" in
  pending-install | pending-upgrade | pending-rollback | uninstalling)
    step "release \${RELEASE} was left \${status} at revision \${revision} by an interrupted run; clearing it"
    back_to_last_good "\${revision}" || fail "could not clear release \${RELEASE} (\${status}); run helm history \${RELEASE} -n \${NAMESPACE}"
    read -r status revision <<< "$(release_state)"
    ;;
esac
if [ "\${status}" = "deployed" ]; then
  # An upgrade restarts ws-daemon and ws-manager: stop running workspaces first, so their content is backed up (KOTS did the same).
  step "stopping running workspaces before the upgrade (up to \${WORKSPACE_STOP_TIMEOUT})"
  if instances="$("\${GPCTL}" --kubeconfig "\${KUBECONFIG}" workspaces list -o json | jq -r 'select(. != null) | .[] | .Instance')"; then
    for instance in \${instances}; do
      step "stopping workspace \${instance}"
      "\${GPCTL}" --kubeconfig "\${KUBECONFIG}" workspaces stop "\${instance}" || step "could not stop workspace \${instance}; it stops with the upgrade"
    done
    if [ -n "\${instances}" ]; then
      kubectl wait --namespace "\${NAMESPACE}" --for=delete pod -l component=workspace --timeout="\${WORKSPACE_STOP_TIMEOUT}" \\
        || step "workspaces still stopping after \${WORKSPACE_STOP_TIMEOUT}; upgrading anyway"
    fi
  else
    step "could not list running workspaces (ws-manager unreachable); upgrading anyway"
  fi
fi

step "7/7 applying as Helm release \${RELEASE}, waiting up to \${HELM_TIMEOUT} for every workload to be ready"
if ! helm upgrade "\${RELEASE}" "\${WORK}" --install --namespace "\${NAMESPACE}" \\
  --cleanup-on-fail --wait --timeout "\${HELM_TIMEOUT}" --history-max 10; then
  read -r _ revision <<< "$(release_state)"
  back_to_last_good "\${revision}" || true
  fail "Gitpod did not become ready within \${HELM_TIMEOUT}; the release was rolled back (or removed on a first install). Check: kubectl get pods -n \${NAMESPACE}"
fi

address="$(kubectl get service proxy --namespace "\${NAMESPACE}" -o jsonpath='{.status.loadBalancer.ingress[0].ip}{.status.loadBalancer.ingress[0].hostname}')"
ready="$(kubectl get endpointslices --namespace "\${NAMESPACE}" -l kubernetes.io/service-name=proxy -o json | jq '[.items[].endpoints[]? | select(.conditions.ready == true)] | length')"
[ "\${ready}" -gt 0 ] || fail "the proxy Service has address \${address:-none} but no ready endpoint: check kubectl get pods -n \${NAMESPACE} -l component=proxy"
if ! curl -ksS --max-time 10 -o /dev/null "https://\${DOMAIN}/"; then
  step "WARNING: https://\${DOMAIN}/ did not answer from inside the cluster (proxy address \${address:-none}, \${ready} ready endpoints): check DNS, and on k3s Calico's container IP forwarding (docs/existing-cluster.md)"
fi

step "Gitpod \${GITPOD_VERSION} is ready at https://\${DOMAIN} (proxy \${address}, \${ready} ready endpoints)"
`;
}
