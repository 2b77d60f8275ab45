import * as k8s from "../../providers/sdk/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { workspaceNodeImage } from "../gitpodImages/extraImages";

/**
 * Workspace nodes must let an unprivileged process create a user namespace and mount in it: Gitpod 2022.11's
 * workspacekit (`ring0` as UID 33333, AppArmor unconfined) clones ring1 with CLONE_NEWUSER|CLONE_NEWNS and mounts
 * there (components/workspacekit/cmd/rings.go). Ubuntu 24.04 turns `kernel.apparmor_restrict_unprivileged_userns`
 * on, which moves such a namespace into the `unprivileged_userns` AppArmor profile that denies every capability, so
 * the mounts fail. GKE's and AKS's node configurations take only an allow-list of sysctls (not checked to include this
 * one) and EKS Ubuntu nodes would need custom bootstrap, so on every platform a small privileged DaemonSet on the
 * workspace pools sets it to 0 and re-applies it every minute; it also refuses (not Ready, with a log line) a kernel older than
 * 5.4, Gitpod's documented minimum. The installer Job waits for it to be ready before installing.
 */

export const workspaceNodeDaemonSetName = "gitpod-workspace-node";

const userNsKnob = "/proc/sys/kernel/apparmor_restrict_unprivileged_userns";

/** The container's script (BusyBox sh). Exits 1 on a kernel older than 5.4, which keeps the pod from becoming Ready. */
export function workspaceNodeScript(): string {
  return `set -eu
knob="\${USERNS_KNOB:-${userNsKnob}}"
release="$(uname -r)"
major="\${release%%.*}"; rest="\${release#*.}"; minor="\${rest%%[!0-9]*}"
if [ "$major" -lt 5 ] || { [ "$major" -eq 5 ] && [ "$minor" -lt 4 ]; }; then
  echo "node \${NODE_NAME}: kernel $release is older than 5.4, the minimum of Gitpod 2022.11; use a newer node image" >&2
  exit 1
fi
while true; do
  if [ -e "$knob" ] && [ "$(cat "$knob")" != 0 ]; then
    echo 0 > "$knob"
    echo "node \${NODE_NAME}: kernel.apparmor_restrict_unprivileged_userns set to 0 (kernel $release)"
  fi
  sleep 60
done
`;
}

export interface WorkspaceNodeSettingsArgs {
  namespace: pulumi.Input<string>;
  /** Node labels that mark workspace nodes (any one of them, set to "true"). */
  workspaceLabels: string[];
  /** Where the DaemonSet pulls BusyBox from: the stack's mirror, or upstream (components/gitpodImages/extraImages.ts). */
  image?: pulumi.Input<string>;
  /** What the DaemonSet waits for (the namespace); a component's dependsOn does not reach its children. */
  dependsOn?: pulumi.Input<pulumi.Resource>[];
}

export class WorkspaceNodeSettings extends pulumi.ComponentResource {
  readonly daemonSet: k8s.apps.v1.DaemonSet;

  constructor(name: string, args: WorkspaceNodeSettingsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:kubernetes:WorkspaceNodeSettings", name, {}, opts);
    const labels = { "app.kubernetes.io/name": workspaceNodeDaemonSetName, "app.kubernetes.io/managed-by": "pulumi" };
    const selector = { "app.kubernetes.io/name": workspaceNodeDaemonSetName };
    this.daemonSet = new k8s.apps.v1.DaemonSet(
      name,
      {
        metadata: {
          name: workspaceNodeDaemonSetName,
          namespace: args.namespace,
          labels,
          // The installer Job waits for it and says which node is wrong; Pulumi need not wait as well.
          annotations: { "pulumi.com/skipAwait": "true" },
        },
        spec: {
          selector: { matchLabels: selector },
          updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "100%" } },
          template: {
            metadata: { labels },
            spec: {
              affinity: {
                nodeAffinity: {
                  requiredDuringSchedulingIgnoredDuringExecution: {
                    nodeSelectorTerms: args.workspaceLabels.map((key) => ({ matchExpressions: [{ key, operator: "In", values: ["true"] }] })),
                  },
                },
              },
              tolerations: [{ operator: "Exists" }],
              automountServiceAccountToken: false,
              terminationGracePeriodSeconds: 1,
              containers: [
                {
                  name: "userns",
                  image: args.image ?? workspaceNodeImage,
                  command: ["/bin/sh", "-c", workspaceNodeScript()],
                  env: [{ name: "NODE_NAME", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } }],
                  // Writing a kernel sysctl of the host needs a privileged container (/proc/sys is read-only otherwise).
                  securityContext: { privileged: true, runAsUser: 0 },
                  readinessProbe: {
                    exec: { command: ["/bin/sh", "-c", `[ ! -e ${userNsKnob} ] || [ "$(cat ${userNsKnob})" = 0 ]`] },
                    periodSeconds: 10,
                  },
                  resources: { requests: { cpu: "5m", memory: "8Mi" }, limits: { memory: "32Mi" } },
                },
              ],
            },
          },
        },
      },
      { parent: this, dependsOn: args.dependsOn },
    );
    this.registerOutputs({ daemonSet: this.daemonSet.metadata.name });
  }
}
