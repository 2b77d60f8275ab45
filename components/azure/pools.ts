import { PoolConfig, PoolRole } from "../../config";
import { gitpodNodeLabels } from "../platform";

/** What every pool of the cluster shares: version, zones, pods per node and the deliberate OS image. */
export interface PoolCommon {
  kubernetesVersion: string;
  zones: string[];
  maxPodsPerNode: number;
  /** Ubuntu2204 pins Ubuntu 22.04 (containerd 1.7); Ubuntu follows AKS's default for the version (docs/azure.md). */
  osSku: "Ubuntu2204" | "Ubuntu";
}

/** AKS pool names: lowercase letters and digits, at most 12 characters for Linux pools. */
export const poolNames: Record<PoolRole, string> = {
  services: "services",
  regularWorkspaces: "regularws",
  headlessWorkspaces: "headlessws",
};

/** Name and taint of the dedicated system pool, when there is one. */
export const dedicatedSystemPool = { name: "system", taint: "CriticalAddonsOnly=true:NoSchedule" };

/** AKS's planned maintenance configurations for the automatic upgrade channels in use. Pure. */
export function maintenanceConfigNames(upgradeChannel: "none" | "patch", nodeOsUpgradeChannel: "None" | "Unmanaged" | "NodeImage" | "SecurityPatch"): string[] {
  return [
    ...(upgradeChannel !== "none" ? ["aksManagedAutoUpgradeSchedule"] : []),
    ...(nodeOsUpgradeChannel === "NodeImage" || nodeOsUpgradeChannel === "SecurityPatch" ? ["aksManagedNodeOSUpgradeSchedule"] : []),
  ];
}

/** The settings of one Gitpod pool as AKS takes them, inline (agentPoolProfiles) or as an AgentPool alike. Pure. */
export function gitpodPoolProfile(
  role: PoolRole,
  pool: PoolConfig,
  args: PoolCommon,
  mode: "System" | "User",
) {
  return {
    mode,
    type: "VirtualMachineScaleSets",
    osType: "Linux",
    osSKU: args.osSku,
    vmSize: pool.machineType,
    osDiskSizeGB: pool.diskSizeGb,
    osDiskType: pool.diskType,
    orchestratorVersion: args.kubernetesVersion,
    availabilityZones: args.zones.length > 0 ? args.zones : undefined,
    enableAutoScaling: true,
    minCount: pool.minNodes,
    maxCount: pool.maxNodes,
    count: Math.max(pool.minNodes, 1),
    maxPods: args.maxPodsPerNode,
    enableNodePublicIP: false,
    nodeLabels: gitpodNodeLabels[role],
    // Workspace nodes hold running workspaces: surge one node at a time instead of draining a tenth of the pool.
    upgradeSettings: { maxSurge: role === "services" ? "33%" : "1" },
  };
}


/** The small tainted system pool of `systemPool: dedicated`, so kube-system is kept apart from Gitpod. Pure. */
export function dedicatedSystemPoolProfile(machineType: string, args: PoolCommon) {
  return {
    name: dedicatedSystemPool.name,
    mode: "System",
    type: "VirtualMachineScaleSets",
    osType: "Linux",
    osSKU: args.osSku,
    vmSize: machineType,
    osDiskSizeGB: 64,
    osDiskType: "Managed",
    orchestratorVersion: args.kubernetesVersion,
    availabilityZones: args.zones.length > 0 ? args.zones : undefined,
    enableAutoScaling: true,
    minCount: 2,
    maxCount: 3,
    count: 2,
    maxPods: args.maxPodsPerNode,
    enableNodePublicIP: false,
    nodeTaints: [dedicatedSystemPool.taint],
    upgradeSettings: { maxSurge: "33%" },
  };
}
