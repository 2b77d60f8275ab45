import * as gcp from "../../providers/sdk/gcp";
import * as pulumi from "@pulumi/pulumi";
import { PoolConfig, PoolRole, poolRoles } from "../../config";
import { gitpodNodeLabels, NodePoolInfo } from "../platform";

/** The node pool names, as GKE shows them (unique within a cluster, within GKE's 40 characters). */
export const poolNames: Record<PoolRole, string> = {
  services: "services",
  regularWorkspaces: "regular-workspaces",
  headlessWorkspaces: "headless-workspaces",
};

/** Zones GKE spreads a regional pool over when no zones are configured (most regions have three). */
export const defaultZoneCount = 3;

/**
 * Nodes per zone a pool starts with. The provider creates a pool with `initial_node_count` (0 when unset:
 * terraform-provider-google resource_container_node_pool.go, expandNodePool) and GKE's autoscaler does not add nodes
 * just to reach the minimum (hashicorp/terraform-provider-google#8270, #11594), so a pool with a minimum above zero must
 * start with it: Gitpod's installer checks that a node carries each workspace label before it installs. Pure.
 */
export function initialNodesPerZone(minNodes: number, zoneCount: number): number | undefined {
  return minNodes > 0 ? Math.max(1, Math.ceil(minNodes / Math.max(1, zoneCount))) : undefined;
}

export interface GkeNodePoolsArgs {
  /** The cluster's id and region. */
  cluster: pulumi.Input<string>;
  region: string;
  /** Zones of the pools; empty means every zone of the region. */
  zones: string[];
  /** Exact GKE node version; unset leaves the nodes at the version they were created with. */
  nodeVersion?: string;
  nodePools: Record<PoolRole, PoolConfig>;
  /** The nodes' service account. */
  serviceAccount: pulumi.Input<string>;
}

/**
 * The three Ubuntu/containerd pools with the Gitpod labels. Auto-upgrade is on, as release channels require; the
 * cluster's maintenance exclusion keeps GKE from upgrading the nodes, and `nodeVersion` in config moves them.
 */
export function gkeNodePools(name: string, args: GkeNodePoolsArgs, opts: pulumi.CustomResourceOptions): NodePoolInfo[] {
  const zoneCount = args.zones.length > 0 ? args.zones.length : defaultZoneCount;
  return poolRoles.map((role) => {
    const pool = args.nodePools[role];
    const nodePool = new gcp.container.NodePool(
      `${name}-${poolNames[role]}`,
      {
        name: poolNames[role],
        cluster: args.cluster,
        location: args.region,
        nodeLocations: args.zones.length > 0 ? args.zones : undefined,
        version: args.nodeVersion,
        initialNodeCount: initialNodesPerZone(pool.minNodes, zoneCount),
        maxPodsPerNode: 110,
        autoscaling: { totalMinNodeCount: pool.minNodes, totalMaxNodeCount: pool.maxNodes, locationPolicy: "BALANCED" },
        management: { autoRepair: true, autoUpgrade: true },
        upgradeSettings: { maxSurge: 1, maxUnavailable: 0 },
        nodeConfig: {
          machineType: pool.machineType,
          imageType: "UBUNTU_CONTAINERD",
          diskType: pool.diskType,
          diskSizeGb: pool.diskSizeGb,
          labels: gitpodNodeLabels[role],
          serviceAccount: args.serviceAccount,
          oauthScopes: ["https://www.googleapis.com/auth/cloud-platform"],
          workloadMetadataConfig: { mode: "GKE_METADATA" },
          shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
          metadata: { "disable-legacy-endpoints": "true" },
        },
      },
      // The autoscaler and manual resizes change the count after creation; it is ForceNew, so never diff it.
      { ...opts, ignoreChanges: ["initialNodeCount"] },
    );
    return { role, name: nodePool.name, labels: gitpodNodeLabels[role] };
  });
}
