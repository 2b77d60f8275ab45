import * as crypto from "crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { fixedNamespace } from "../namespace";
import { httpsCertificateSecret } from "./installerConfig";

/**
 * The install approach: an in-cluster Job runs the pinned Gitpod installer image. It validates the config, waits
 * for the wildcard certificate, validates the cluster (`gitpod-installer validate cluster`: node labels, secrets
 * and their keys, cert-manager, containerd, kernel), renders the manifests and applies them as one Helm release
 * with `--atomic --wait`, so the Job completes only when every Gitpod workload is ready and a failure rolls back.
 * Pulumi waits for the Job (Complete or Failed). The config lives in a ConfigMap; a change to it or to the version
 * replaces the Job, which runs again. See docs/gitpod.md for why.
 */

/** Helm release name of the rendered Gitpod installation. */
export const helmReleaseName = "gitpod";
/** Namespace of the installer Job and its ServiceAccount (kept apart from Gitpod's own workloads). */
export const installerNamespace = "gitpod-installer";

export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

const manage = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"];

/**
 * Least RBAC for installing Gitpod 2022.11 into `namespace`. No `escalate`, no wildcard: to create Gitpod's Roles
 * and ClusterRoles without `escalate`, the installer holds exactly the permissions those roles grant; `bind` is
 * limited to the ClusterRoles Gitpod's bindings name (some of which 2022.11 references but never creates).
 * Derived from the rendered output of the installer at 2022.11.3 (install/installer/cmd/testdata/render).
 */
export function installerRbacRules(namespace: string): { namespaced: PolicyRule[]; cluster: PolicyRule[] } {
  return {
    namespaced: [
      {
        apiGroups: [""],
        resources: ["configmaps", "secrets", "services", "serviceaccounts", "endpoints", "events", "pods", "pods/log", "persistentvolumeclaims", "resourcequotas"],
        verbs: manage,
      },
      { apiGroups: ["apps"], resources: ["deployments", "daemonsets", "statefulsets", "replicasets"], verbs: manage },
      { apiGroups: ["batch"], resources: ["jobs", "cronjobs"], verbs: manage },
      { apiGroups: ["networking.k8s.io"], resources: ["networkpolicies"], verbs: manage },
      { apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: manage },
      { apiGroups: ["rbac.authorization.k8s.io"], resources: ["roles", "rolebindings"], verbs: manage },
      { apiGroups: ["cert-manager.io"], resources: ["certificates", "issuers"], verbs: manage },
      { apiGroups: ["snapshot.storage.k8s.io"], resources: ["volumesnapshots"], verbs: manage },
    ],
    cluster: [
      { apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterroles", "clusterrolebindings"], verbs: ["get", "list", "watch", "create", "update", "patch", "delete"] },
      {
        apiGroups: ["rbac.authorization.k8s.io"],
        resources: ["clusterroles"],
        verbs: ["bind"],
        resourceNames: [
          `${namespace}-kube-rbac-proxy`,
          `${namespace}-ns-registry-facade`,
          `${namespace}-ns-ws-daemon`,
          `${namespace}-ns-image-builder-mk3`,
          `${namespace}-ns-workspace`,
          `${namespace}-ns-psp:restricted-root-user`,
          `${namespace}-ns-psp:unprivileged`,
          `${namespace}-ns-psp:privileged`,
          "ws-manager",
          "ide-metrics",
          "ide-service",
        ],
      },
      // What Gitpod's own ClusterRoles grant (ws-daemon, registry-facade, ws-manager, kube-rbac-proxy).
      { apiGroups: [""], resources: ["nodes"], verbs: ["get", "list", "watch", "update", "patch"] },
      { apiGroups: [""], resources: ["pods", "services"], verbs: ["get", "list", "watch", "update", "patch", "delete"] },
      { apiGroups: ["authentication.k8s.io"], resources: ["tokenreviews"], verbs: ["create"] },
      { apiGroups: ["authorization.k8s.io"], resources: ["subjectaccessreviews"], verbs: ["create"] },
      {
        apiGroups: ["snapshot.storage.k8s.io"],
        resources: ["volumesnapshotcontents", "volumesnapshotclasses"],
        verbs: ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"],
      },
      // `validate cluster`: cert-manager is installed, the namespace exists.
      { apiGroups: ["cert-manager.io"], resources: ["clusterissuers"], verbs: ["list"] },
      { apiGroups: [""], resources: ["namespaces"], verbs: ["get"], resourceNames: [namespace] },
    ],
  };
}

export interface InstallTimeouts {
  /** Waiting for the wildcard certificate (first issuance needs the domain delegated). */
  certificateMinutes: number;
  /** `helm upgrade --wait`: until every workload is ready. */
  helmMinutes: number;
  /** The Job's activeDeadlineSeconds, in minutes; Pulumi waits a little longer. */
  jobMinutes: number;
}

/** Splits the configured install timeout between the steps; the Job's deadline covers them all. */
export function installTimeouts(totalMinutes: number): InstallTimeouts {
  const certificateMinutes = Math.max(5, Math.floor(totalMinutes / 3));
  const helmMinutes = Math.max(5, totalMinutes - certificateMinutes - 5);
  return { certificateMinutes, helmMinutes, jobMinutes: totalMinutes };
}

/** Kubeconfig of the Job's own ServiceAccount; `gitpod-installer validate cluster` insists on a kubeconfig file. */
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
# Installs Gitpod from /installer/gitpod.config.yaml. Environment: NAMESPACE, DOMAIN, GITPOD_VERSION,
# CERTIFICATE_TIMEOUT, HELM_TIMEOUT, KUBECONFIG, SCALE_FROM_ZERO_LABELS. Written for this project; runs in the Gitpod installer image.
set -euo pipefail
CONFIG="\${CONFIG:-/installer/gitpod.config.yaml}"
INSTALLER="\${INSTALLER:-/app/installer}"
WORK="\${WORK:-/tmp/gitpod}"

step() { echo "gitpod-install: $*"; }
fail() { echo "gitpod-install FAILED: $*" >&2; exit 1; }

rm -rf "\${WORK}" && mkdir -p "\${WORK}/templates"

step "installer $("\${INSTALLER}" version 2>/dev/null | tr '\\n' ' ') for Gitpod \${GITPOD_VERSION} into namespace \${NAMESPACE}"

step "1/5 validating the installer config"
"\${INSTALLER}" validate config --config "\${CONFIG}" || fail "the installer rejected gitpod.config.yaml (see above); fix the stack config"

step "2/5 waiting up to \${CERTIFICATE_TIMEOUT} for certificate ${httpsCertificateSecret}"
if ! kubectl wait --namespace "\${NAMESPACE}" --for=condition=Ready "certificate/${httpsCertificateSecret}" --timeout="\${CERTIFICATE_TIMEOUT}"; then
  kubectl describe --namespace "\${NAMESPACE}" "certificate/${httpsCertificateSecret}" || true
  fail "certificate ${httpsCertificateSecret} is not Ready: is \${DOMAIN} delegated to the stack's nameServers, and is cert-manager's DNS-01 solver allowed to write the zone?"
fi

step "3/5 validating the cluster (node labels, secrets, cert-manager, containerd, kernel)"
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

step "4/5 rendering the manifests"
"\${INSTALLER}" render --config "\${CONFIG}" --namespace "\${NAMESPACE}" > "\${WORK}/rendered.yaml" || fail "render failed"
# Gitpod's manifests contain Go template text of their own; make Helm emit those lines verbatim.
sed -E 's/^(.*\\{\\{.*)$/{{\`\\1\`}}/' "\${WORK}/rendered.yaml" > "\${WORK}/templates/gitpod.yaml"
printf 'apiVersion: v2\\nname: gitpod\\nversion: %s\\nappVersion: "%s"\\n' "\${GITPOD_VERSION}" "\${GITPOD_VERSION}" > "\${WORK}/Chart.yaml"
step "rendered $(grep -c '^kind:' "\${WORK}/rendered.yaml") objects"

step "5/5 applying as Helm release ${helmReleaseName}, waiting up to \${HELM_TIMEOUT} for every workload to be ready"
helm upgrade ${helmReleaseName} "\${WORK}" --install --namespace "\${NAMESPACE}" \\
  --atomic --cleanup-on-fail --wait --wait-for-jobs --timeout "\${HELM_TIMEOUT}" --history-max 10 \\
  || fail "Gitpod did not become ready within \${HELM_TIMEOUT}; Helm rolled the release back. Check: kubectl get pods -n \${NAMESPACE}"

step "Gitpod \${GITPOD_VERSION} is ready at https://\${DOMAIN}"
`;
}

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
            metadata: { labels, annotations: { "gitpod.io/installer-input-sha256": checksum } },
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
                    { name: "HELM_TIMEOUT", value: `${timeouts.helmMinutes}m` },
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
