import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { PoolConfig, PoolRole, poolRoles } from "../../config";
import { gitpodNodeLabels, NodePoolInfo } from "../platform";
import { secondaryRanges } from "./network";
import { serviceAccountId } from "./naming";

export interface GkeClusterArgs {
  /** Project of the cluster; also names the workload identity pool. */
  project: string;
  /** Region: the control plane is regional (three replicas). */
  region: string;
  /** Zones of the node pools; empty means every zone of the region. */
  zones: string[];
  /** Kubernetes version of the control plane; node pools follow it. */
  kubernetesVersion: string;
  /** VPC and subnet (with the pods and services secondary ranges). */
  networkId: pulumi.Input<string>;
  subnetId: pulumi.Input<string>;
  /** Nodes without public IPs, control plane peered on masterCidr. */
  privateNodes: boolean;
  masterCidr: string;
  /** Networks allowed to reach the API server; empty leaves it open. */
  masterAuthorizedNetworks: { name: string; cidr: string }[];
  /** Sizes of the three pools. */
  nodePools: Record<PoolRole, PoolConfig>;
  /** Refuse `pulumi destroy` / replacement of the cluster at the API (production). */
  deletionProtection: boolean;
  /** Cloud KMS key for application-layer Secrets encryption; unset leaves GKE's default encryption only. */
  secretsKey?: pulumi.Input<string>;
  /** Name of the stack, for project-wide names. */
  stack: string;
}

/** The node pool names, as GKE shows them. */
export const poolNames: Record<PoolRole, string> = {
  services: "services",
  regularWorkspaces: "regular-workspaces",
  headlessWorkspaces: "headless-workspaces",
};

/** Roles the nodes' service account needs: GKE's minimal node role and pulling images from Artifact Registry. */
export const nodeServiceAccountRoles = ["roles/container.defaultNodeServiceAccount", "roles/artifactregistry.reader"];

/**
 * GKE cluster as Gitpod's reference architecture wants it: no default pool, Calico network policy (Gitpod's
 * network policies need it; Dataplane V2 is not supported by Gitpod's ws-daemon), workload identity, no release
 * channel so that node auto-upgrade can be off, and three Ubuntu/containerd node pools with the Gitpod labels.
 */
export class GkeCluster extends pulumi.ComponentResource {
  readonly cluster: gcp.container.Cluster;
  readonly nodePools: NodePoolInfo[];
  readonly kubeconfig: pulumi.Output<string>;

  constructor(name: string, args: GkeClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:gcp:Cluster", name, {}, opts);
    const nodeAccount = new gcp.serviceaccount.Account(
      `${name}-nodes`,
      { accountId: serviceAccountId(args.stack, "nodes"), displayName: "Gitpod GKE nodes" },
      { parent: this },
    );
    for (const role of nodeServiceAccountRoles) {
      new gcp.projects.IAMMember(
        `${name}-nodes-${role.split("/")[1].replace(/\./g, "-")}`,
        { project: args.project, role, member: pulumi.interpolate`serviceAccount:${nodeAccount.email}` },
        { parent: this },
      );
    }

    this.cluster = new gcp.container.Cluster(
      `${name}-gke`,
      {
        location: args.region,
        nodeLocations: args.zones.length > 0 ? args.zones : undefined,
        network: args.networkId,
        subnetwork: args.subnetId,
        networkingMode: "VPC_NATIVE",
        ipAllocationPolicy: {
          clusterSecondaryRangeName: secondaryRanges.pods,
          servicesSecondaryRangeName: secondaryRanges.services,
        },
        removeDefaultNodePool: true,
        initialNodeCount: 1,
        minMasterVersion: args.kubernetesVersion,
        releaseChannel: { channel: "UNSPECIFIED" },
        datapathProvider: "LEGACY_DATAPATH",
        networkPolicy: { enabled: true, provider: "CALICO" },
        addonsConfig: { networkPolicyConfig: { disabled: false }, httpLoadBalancing: { disabled: false } },
        workloadIdentityConfig: { workloadPool: `${args.project}.svc.id.goog` },
        privateClusterConfig: args.privateNodes
          ? { enablePrivateNodes: true, enablePrivateEndpoint: false, masterIpv4CidrBlock: args.masterCidr }
          : undefined,
        masterAuthorizedNetworksConfig:
          args.masterAuthorizedNetworks.length > 0
            ? { cidrBlocks: args.masterAuthorizedNetworks.map((n) => ({ displayName: n.name, cidrBlock: n.cidr })) }
            : undefined,
        masterAuth: { clientCertificateConfig: { issueClientCertificate: false } },
        enableShieldedNodes: true,
        databaseEncryption: args.secretsKey ? { state: "ENCRYPTED", keyName: args.secretsKey } : undefined,
        // Upgrades are explicit config changes; GKE may still patch the control plane inside this window.
        maintenancePolicy: {
          recurringWindow: {
            startTime: "2024-01-06T02:00:00Z",
            endTime: "2024-01-06T08:00:00Z",
            recurrence: "FREQ=WEEKLY;BYDAY=SA,SU",
          },
        },
        deletionProtection: args.deletionProtection,
      },
      { parent: this },
    );

    this.nodePools = poolRoles.map((role) => {
      const pool = args.nodePools[role];
      const nodePool = new gcp.container.NodePool(
        `${name}-${poolNames[role]}`,
        {
          cluster: this.cluster.id,
          location: args.region,
          nodeLocations: args.zones.length > 0 ? args.zones : undefined,
          version: this.cluster.masterVersion,
          maxPodsPerNode: 110,
          autoscaling: {
            totalMinNodeCount: pool.minNodes,
            totalMaxNodeCount: pool.maxNodes,
            locationPolicy: "BALANCED",
          },
          management: { autoRepair: true, autoUpgrade: false },
          upgradeSettings: { maxSurge: 1, maxUnavailable: 0 },
          nodeConfig: {
            machineType: pool.machineType,
            imageType: "UBUNTU_CONTAINERD",
            diskType: pool.diskType,
            diskSizeGb: pool.diskSizeGb,
            labels: gitpodNodeLabels[role],
            serviceAccount: nodeAccount.email,
            oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"],
            workloadMetadataConfig: { mode: "GKE_METADATA" },
            shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
            metadata: { "disable-legacy-endpoints": "true" },
          },
        },
        { parent: this },
      );
      return { role, name: nodePool.name, labels: gitpodNodeLabels[role] };
    });

    this.kubeconfig = pulumi.secret(
      pulumi
        .all([this.cluster.name, this.cluster.endpoint, this.cluster.masterAuth.clusterCaCertificate])
        .apply(([clusterName, endpoint, ca]) => gkeKubeconfig(`${args.project}_${args.region}_${clusterName}`, endpoint, ca ?? "")),
    );
    this.registerOutputs({ clusterName: this.cluster.name, kubeconfig: this.kubeconfig });
  }
}

/**
 * A kubeconfig that authenticates the way GKE requires since 1.26: the gke-gcloud-auth-plugin exec credential
 * (install it with `gcloud components install gke-gcloud-auth-plugin`). It holds no token itself.
 */
export function gkeKubeconfig(contextName: string, endpoint: string, caCertificate: string): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: contextName, cluster: { server: `https://${endpoint}`, "certificate-authority-data": caCertificate } }],
    contexts: [{ name: contextName, context: { cluster: contextName, user: contextName } }],
    "current-context": contextName,
    users: [
      {
        name: contextName,
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "gke-gcloud-auth-plugin",
            installHint: "Install gke-gcloud-auth-plugin: gcloud components install gke-gcloud-auth-plugin",
            provideClusterInfo: true,
          },
        },
      },
    ],
  });
}
