import * as k8s from "../../providers/sdk/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/**
 * The Tigera operator chart that installs Calico, pinned. Source: https://docs.tigera.io/calico/charts
 * (projectcalico/calico charts/tigera-operator). 3.31 still ships the operator CRDs inside this chart; from 3.32 they
 * come as a separate chart, so moving to 3.32+ is a deliberate change here, not a version bump.
 */
export const calicoChart = {
  chart: "tigera-operator",
  version: "v3.31.3",
  repo: "https://docs.tigera.io/calico/charts",
  namespace: "tigera-operator",
} as const;

/**
 * Helm values of the Tigera operator for Calico as the network-policy engine beside the Amazon VPC CNI: the VPC CNI
 * keeps pod networking (VPC-routable pod IPs, no overlay, no BGP), Calico's Felix enforces NetworkPolicy in iptables.
 * The flow-log UI components (Goldmane, Whisker) stay off: nothing in the platform uses them.
 */
export function calicoValues(): Record<string, unknown> {
  return {
    installation: {
      kubernetesProvider: "EKS",
      cni: { type: "AmazonVPC" },
      calicoNetwork: { bgp: "Disabled", linuxDataplane: "Iptables" },
    },
    apiServer: { enabled: true },
    goldmane: { enabled: false },
    whisker: { enabled: false },
  };
}

export interface CalicoArgs {
  /** Kubernetes provider of the cluster (made from its kubeconfig by the AWS platform). */
  provider: k8s.Provider;
  /** What must exist before Calico can run: the node groups and the CNI add-on. */
  dependsOn: pulumi.Resource[];
}

/**
 * The permission the VPC CNI needs for ANNOTATE_POD_IP (addons.ts): `patch` on pods, which the add-on's own aws-node
 * ClusterRole lacks. The EKS user guide (VPC CNI, "If you use Calico network policy enforcement...") and Tigera's EKS
 * guide add exactly this rule for the aws-node service account.
 */
export const annotatePodIpRule = { apiGroups: [""], resources: ["pods"], verbs: ["patch"] };

/**
 * Calico network policy, installed by the AWS platform because the choice of policy engine belongs to the cloud's
 * network design (see docs/aws.md).
 */
export class Calico extends pulumi.ComponentResource {
  readonly release: k8s.helm.v3.Release;
  /** Resolves once Calico and the aws-node permission are in place. */
  readonly ready: pulumi.Output<unknown>;

  constructor(name: string, args: CalicoArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:aws:Calico", name, {}, opts);
    this.release = new k8s.helm.v3.Release(
      `${name}-tigera-operator`,
      {
        name: "calico",
        chart: calicoChart.chart,
        version: calicoChart.version,
        repositoryOpts: { repo: calicoChart.repo },
        namespace: calicoChart.namespace,
        createNamespace: true,
        values: calicoValues(),
        atomic: true,
        cleanupOnFail: true,
        timeout: 900,
      },
      { parent: this, provider: args.provider, dependsOn: args.dependsOn },
    );
    const kubernetes = { parent: this, provider: args.provider };
    const annotator = new k8s.rbac.v1.ClusterRole(
      `${name}-aws-node-annotate-pod-ip`,
      { metadata: { name: "gitpod-aws-node-annotate-pod-ip" }, rules: [annotatePodIpRule] },
      kubernetes,
    );
    const binding = new k8s.rbac.v1.ClusterRoleBinding(
      `${name}-aws-node-annotate-pod-ip`,
      {
        metadata: { name: "gitpod-aws-node-annotate-pod-ip" },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: annotator.metadata.name },
        subjects: [{ kind: "ServiceAccount", name: "aws-node", namespace: "kube-system" }],
      },
      kubernetes,
    );
    this.ready = pulumi.all([this.release.status, binding.metadata.name]);
    this.registerOutputs({ status: this.release.status });
  }
}
