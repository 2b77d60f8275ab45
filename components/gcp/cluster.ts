import * as gcp from "../../providers/sdk/gcp";
import * as pulumi from "@pulumi/pulumi";
import { PoolConfig, PoolRole } from "../../config";
import { GkeReleaseChannel } from "../../config/gcp";
import { NodePoolInfo } from "../platform";
import { gkeKubeconfig } from "./kubeconfig";
import { secondaryRanges } from "./subnet";
import { clusterName, serviceAccountId } from "./naming";
import { gkeNodePools } from "./nodePools";

export interface GkeClusterArgs {
  /** Project of the cluster; also names the workload identity pool. */
  project: string;
  /** Region: the control plane is regional (three replicas). */
  region: string;
  /** Zones of the node pools; empty means every zone of the region. */
  zones: string[];
  /** Kubernetes version of the control plane (minimum; GKE patches it within the minor). */
  kubernetesVersion: string;
  /** Release channel; it must offer kubernetesVersion. */
  releaseChannel: GkeReleaseChannel;
  /** Exact GKE version of the node pools; unset leaves them at the version they were created with. */
  nodeVersion?: string;
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
  /** GKE's name for the cluster; default clusterName(stack). */
  clusterName?: string;
  /** The nodes' service account (a global one, with its project roles); unset creates it. */
  nodeAccount?: gcp.serviceaccount.Account;
}

/**
 * No minor upgrade and no node upgrade by GKE until the version's end of support (standard, or extended on the
 * Extended channel): upgrades happen when cluster.kubernetesVersion and gcp.nodeVersion change. A fixed start keeps
 * the plan stable (the provider documents a past start with UNTIL_END_OF_SUPPORT).
 */
export const noMinorOrNodeUpgrades = {
  exclusionName: "no-minor-or-node-upgrades",
  startTime: "2026-01-01T00:00:00Z",
  exclusionOptions: { scope: "NO_MINOR_OR_NODE_UPGRADES", endTimeBehavior: "UNTIL_END_OF_SUPPORT" },
};

/** Roles the nodes' service account needs: GKE's minimal node role and pulling images from Artifact Registry. */
export const nodeServiceAccountRoles = ["roles/container.defaultNodeServiceAccount", "roles/artifactregistry.reader"];

/**
 * GKE cluster as Gitpod's reference architecture wants it: no default pool, Calico network policy (Gitpod's
 * network policies need it; Dataplane V2 is not supported by Gitpod's ws-daemon), workload identity, enrolled in a
 * release channel with a maintenance exclusion so that GKE makes no minor or node upgrade until the pinned version's
 * end of support, a DNS endpoint for IAM-authorised access from anywhere, and three Ubuntu/containerd node pools.
 */
export class GkeCluster extends pulumi.ComponentResource {
  readonly cluster: gcp.container.Cluster;
  /** The nodes' service account: project-wide roles, so another cluster of the stack can run as it too. */
  readonly nodeAccount: gcp.serviceaccount.Account;
  readonly nodePools: NodePoolInfo[];
  readonly kubeconfig: pulumi.Output<string>;

  constructor(name: string, args: GkeClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:gcp:Cluster", name, {}, opts);
    this.nodeAccount = args.nodeAccount ?? nodeServiceAccount(name, args.project, args.stack, this);
    const nodeAccount = this.nodeAccount;

    const defaultPoolConfig = { serviceAccount: nodeAccount.email, oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"] };
    this.cluster = new gcp.container.Cluster(
      `${name}-gke`,
      {
        name: args.clusterName ?? clusterName(args.stack),
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
        // The default pool lives only while the cluster is created; not the Compute Engine default account for it.
        nodeConfig: defaultPoolConfig,
        minMasterVersion: args.kubernetesVersion,
        releaseChannel: { channel: args.releaseChannel },
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
        // IAM decides who reaches the DNS endpoint, not the source address (CI runners have no fixed egress range).
        controlPlaneEndpointsConfig: { dnsEndpointConfig: { allowExternalTraffic: true } },
        masterAuth: { clientCertificateConfig: { issueClientCertificate: false } },
        enableShieldedNodes: true,
        databaseEncryption: args.secretsKey ? { state: "ENCRYPTED", keyName: args.secretsKey } : undefined,
        // Minor and node upgrades are explicit config changes; GKE patches the control plane inside the window.
        maintenancePolicy: {
          recurringWindow: {
            startTime: "2024-01-06T02:00:00Z",
            endTime: "2024-01-06T08:00:00Z",
            recurrence: "FREQ=WEEKLY;BYDAY=SA,SU",
          },
          maintenanceExclusions: [noMinorOrNodeUpgrades],
        },
        deletionProtection: args.deletionProtection,
      },
      // nodeConfig is the throw-away default pool's only (the provider advises against managing it with separate pools).
      { parent: this, ignoreChanges: ["nodeConfig"] },
    );

    this.nodePools = gkeNodePools(
      name,
      {
        cluster: this.cluster.id,
        region: args.region,
        zones: args.zones,
        nodeVersion: args.nodeVersion,
        nodePools: args.nodePools,
        serviceAccount: nodeAccount.email,
      },
      { parent: this },
    );
    this.kubeconfig = pulumi.secret(
      pulumi
        .all([this.cluster.name, this.cluster.endpoint, this.cluster.masterAuth.clusterCaCertificate, this.cluster.controlPlaneEndpointsConfig])
        .apply(([gkeName, endpoint, ca, endpoints]) =>
          gkeKubeconfig(`${args.project}_${args.region}_${gkeName}`, {
            dnsEndpoint: endpoints?.dnsEndpointConfig?.endpoint,
            ipEndpoint: endpoint,
            caCertificate: ca ?? "",
          }),
        ),
    );
    this.registerOutputs({ clusterName: this.cluster.name, kubeconfig: this.kubeconfig });
  }
}

/** The nodes' Google service account with the roles nodeServiceAccountRoles, granted on the project. */
function nodeServiceAccount(name: string, project: string, stack: string, parent: pulumi.Resource): gcp.serviceaccount.Account {
  const account = new gcp.serviceaccount.Account(
    `${name}-nodes`,
    { accountId: serviceAccountId(stack, "nodes"), displayName: "Gitpod GKE nodes" },
    { parent },
  );
  for (const role of nodeServiceAccountRoles) {
    new gcp.projects.IAMMember(
      `${name}-nodes-${role.split("/")[1].replace(/\./g, "-")}`,
      { project, role, member: pulumi.interpolate`serviceAccount:${account.email}` },
      { parent },
    );
  }
  return account;
}
