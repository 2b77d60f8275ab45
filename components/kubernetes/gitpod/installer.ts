import * as crypto from "crypto";
import * as k8s from "../../../providers/sdk/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { fixedNamespace } from "../namespace";
import { inClusterKubeconfig, installScript, installTimeouts } from "./installScript";
import { installerRbacRules } from "./rbac";

/**
 * The install approach: an in-cluster Job runs the pinned Gitpod installer image. It validates the config, waits
 * for the wildcard certificate and the workspace nodes' settings, validates the cluster (`gitpod-installer validate
 * cluster`: node labels, secrets and their keys, cert-manager, containerd, kernel), renders the manifests, clears a
 * release an interrupted run left pending, stops running workspaces before an upgrade, and applies the manifests as
 * one Helm release with `--wait`, rolling back itself on failure (installScript.ts). Pulumi waits for the Job
 * (Complete or Failed). The config lives in a ConfigMap; a change to it or to the version replaces the Job, which
 * runs again. See docs/gitpod.md for why.
 */

/** Namespace of the installer Job and its ServiceAccount (kept apart from Gitpod's own workloads). */
export const installerNamespace = "gitpod-installer";

export interface GitpodInstallerArgs {
  /** Namespace Gitpod is installed into. */
  namespace: string;
  /** The stack's domain (for messages). */
  domain: string;
  /** Gitpod release, e.g. 2022.11.3. */
  version: string;
  /** Installer image, pinned by tag or digest (from the stack's mirror, an Output where the mirror's name is one). */
  image: pulumi.Input<string>;
  /** The installer config YAML (no secret values). */
  configYaml: pulumi.Output<string>;
  /** Total time the install may take, in minutes. */
  timeoutMinutes: number;
  /** Gitpod labels only on pools that may have no node yet; their absence does not fail the cluster validation. */
  scaleFromZeroLabels: string[];
  /** Node labels the Job is scheduled by (the services pool). */
  nodeSelector: Record<string, string>;
  /** The DaemonSet that prepares workspace nodes (components/kubernetes/workspaceNodes.ts); the Job waits for it. */
  workspaceNodeDaemonSet: string;
  /** What must exist before the Job runs: Gitpod's secrets, the namespace, cert-manager, the Certificate. */
  dependsOn: pulumi.Input<pulumi.Resource>[];
}

/** The installer's namespace, ServiceAccount, RBAC, ConfigMap and Job. */
export class GitpodInstaller extends pulumi.ComponentResource {
  readonly job: k8s.batch.v1.Job;
  readonly configMap: k8s.core.v1.ConfigMap;

  constructor(name: string, args: GitpodInstallerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:kubernetes:GitpodInstaller", name, {}, opts);
    const labels = { app: "gitpod", component: "gitpod-installer", "app.kubernetes.io/managed-by": "pulumi" };
    const child = { parent: this };

    // Its own namespace: pods in Gitpod's namespace cannot mount the installer's ServiceAccount token.
    const ns = fixedNamespace(`${name}-namespace`, installerNamespace, "restricted", child);
    const account = new k8s.core.v1.ServiceAccount(
      `${name}-sa`,
      { metadata: { name: "gitpod-installer", namespace: ns.metadata.name, labels } },
      child,
    );
    const subject = { kind: "ServiceAccount", name: account.metadata.name, namespace: account.metadata.namespace };
    const rules = installerRbacRules(args.namespace);

    const clusterRole = new k8s.rbac.v1.ClusterRole(`${name}-clusterrole`, { metadata: { name: "gitpod-installer", labels }, rules: rules.cluster }, child);
    const clusterBinding = new k8s.rbac.v1.ClusterRoleBinding(
      `${name}-clusterrolebinding`,
      {
        metadata: { name: "gitpod-installer", labels },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: clusterRole.metadata.name },
        subjects: [subject],
      },
      child,
    );
    const role = new k8s.rbac.v1.Role(
      `${name}-role`,
      { metadata: { name: "gitpod-installer", namespace: args.namespace, labels }, rules: rules.namespaced },
      { ...child, dependsOn: args.dependsOn },
    );
    const binding = new k8s.rbac.v1.RoleBinding(
      `${name}-rolebinding`,
      {
        metadata: { name: "gitpod-installer", namespace: args.namespace, labels },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
        subjects: [subject],
      },
      child,
    );

    this.configMap = new k8s.core.v1.ConfigMap(
      `${name}-config`,
      {
        metadata: { namespace: ns.metadata.name, labels },
        data: {
          "gitpod.config.yaml": args.configYaml,
          "install.sh": installScript(),
          kubeconfig: inClusterKubeconfig(args.namespace),
        },
      },
      child,
    );

    const timeouts = installTimeouts(args.timeoutMinutes);
    const checksum = pulumi.all([args.configYaml, args.image]).apply(([yaml, image]) =>
      crypto.createHash("sha256").update(yaml).update(installScript()).update(image).digest("hex"),
    );
    this.job = new k8s.batch.v1.Job(
      `${name}-install`,
      {
        metadata: {
          namespace: ns.metadata.name,
          labels,
          // A Job that failed stays failed; the next `pulumi up` replaces it instead of waiting on it again.
          annotations: { "pulumi.com/replaceUnready": "true" },
        },
        spec: {
          backoffLimit: 0,
          activeDeadlineSeconds: timeouts.jobMinutes * 60,
          template: {
            metadata: {
              labels,
              annotations: {
                "gitpod.io/installer-input-sha256": checksum,
                // Killed mid-Helm, the release is left pending (the next run clears it); the autoscaler must not do that.
                "cluster-autoscaler.kubernetes.io/safe-to-evict": "false",
              },
            },
            spec: {
              serviceAccountName: account.metadata.name,
              restartPolicy: "Never",
              nodeSelector: args.nodeSelector,
              securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, seccompProfile: { type: "RuntimeDefault" } },
              containers: [
                {
                  name: "installer",
                  image: args.image,
                  command: ["/bin/bash", "/installer/install.sh"],
                  env: [
                    { name: "NAMESPACE", value: args.namespace },
                    { name: "DOMAIN", value: args.domain },
                    { name: "GITPOD_VERSION", value: args.version },
                    { name: "CERTIFICATE_TIMEOUT", value: `${timeouts.certificateMinutes}m` },
                    { name: "WORKSPACE_STOP_TIMEOUT", value: `${timeouts.workspaceStopMinutes}m` },
                    { name: "HELM_TIMEOUT", value: `${timeouts.helmMinutes}m` },
                    { name: "WORKSPACE_NODE_DAEMONSET", value: args.workspaceNodeDaemonSet },
                    { name: "SCALE_FROM_ZERO_LABELS", value: args.scaleFromZeroLabels.join(" ") },
                    { name: "KUBECONFIG", value: "/installer/kubeconfig" },
                    { name: "HOME", value: "/tmp" },
                    { name: "HELM_CACHE_HOME", value: "/tmp/helm/cache" },
                    { name: "HELM_CONFIG_HOME", value: "/tmp/helm/config" },
                    { name: "HELM_DATA_HOME", value: "/tmp/helm/data" },
                  ],
                  resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { memory: "1Gi" } },
                  securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                  terminationMessagePolicy: "FallbackToLogsOnError",
                  volumeMounts: [
                    { name: "installer", mountPath: "/installer", readOnly: true },
                    { name: "tmp", mountPath: "/tmp" },
                  ],
                },
              ],
              volumes: [
                { name: "installer", configMap: { name: this.configMap.metadata.name } },
                { name: "tmp", emptyDir: { sizeLimit: "1Gi" } },
              ],
            },
          },
        },
      },
      {
        ...child,
        dependsOn: [...args.dependsOn, clusterBinding, binding],
        deleteBeforeReplace: true,
        customTimeouts: { create: `${timeouts.jobMinutes + 5}m`, update: `${timeouts.jobMinutes + 5}m` },
      },
    );
    this.registerOutputs({ job: this.job.metadata.name, configMap: this.configMap.metadata.name });
  }
}
