import { Plan, PlannedResource } from "./run";

/**
 * The lines the plan's tree adds under a cluster and its node pools: for each pool its machine type, zones and
 * node counts (the AKS system pool too, which lives inside the ManagedCluster), and the cluster's zones.
 * Keyed by the resource's URN.
 */
export function poolLines(plan: Plan): Map<string, string[]> {
  const lines = new Map<string, string[]>();
  const add = (r: PlannedResource, line: string) => lines.set(r.urn, [...(lines.get(r.urn) ?? []), line]);
  const gkeClusters = plan.resources.filter((r) => r.type === "gcp:container/cluster:Cluster");
  for (const r of plan.resources) {
    const i = r.inputs as Record<string, any>;
    switch (r.type) {
      case "gcp:container/cluster:Cluster":
        add(r, `zones: ${gkeZones(i.nodeLocations, i.location)}`);
        break;
      case "gcp:container/nodePool:NodePool": {
        const cluster = gkeClusters.find((c) => `${c.name}-id` === i.cluster || c.inputs.name === i.cluster)?.inputs as Record<string, any> | undefined;
        const a = i.autoscaling ?? {};
        const nodes = a.totalMinNodeCount !== undefined ? `${a.totalMinNodeCount}..${a.totalMaxNodeCount} in total` : `${a.minNodeCount ?? i.nodeCount ?? i.initialNodeCount}..${a.maxNodeCount ?? i.nodeCount} per zone`;
        add(r, "pool: " + pool(i.nodeConfig?.machineType, gkeZones(i.nodeLocations ?? cluster?.nodeLocations, i.location ?? cluster?.location), nodes));
        break;
      }
      case "aws:eks/nodeGroup:NodeGroup": {
        const s = i.scalingConfig ?? {};
        add(r, "pool: " + pool((i.instanceTypes ?? []).join(",") || "from its launch template", awsZones(plan, i.subnetIds ?? []), `${s.minSize}..${s.maxSize}, desired ${s.desiredSize}`));
        break;
      }
      case "aws:eks/cluster:Cluster":
        add(r, `zones: ${awsZones(plan, i.vpcConfig?.subnetIds ?? [])}`);
        break;
      case "azure-native:containerservice:ManagedCluster":
        add(r, `zones: ${azureZones(i.agentPoolProfiles?.[0]?.availabilityZones, i.location)}`);
        for (const p of i.agentPoolProfiles ?? []) add(r, `${p.mode === "System" ? "system " : ""}pool ${p.name}: ${azurePool(p, i.location)}`);
        break;
      case "azure-native:containerservice:AgentPool":
        add(r, `pool: ${azurePool(i, undefined)}`);
        break;
    }
  }
  return lines;
}

function pool(machineType: unknown, zones: string, nodes: string): string {
  return `${String(machineType)}, zones ${zones}, nodes ${nodes}`;
}

function azurePool(p: Record<string, any>, location: unknown): string {
  const nodes = p.enableAutoScaling ? `${p.minCount}..${p.maxCount}, now ${p.count}` : `${p.count}`;
  return pool(p.vmSize, azureZones(p.availabilityZones, location), nodes);
}

/** A GKE cluster without nodeLocations puts a regional cluster's nodes in three zones GKE picks in the region. */
function gkeZones(nodeLocations: unknown, location: unknown): string {
  if (Array.isArray(nodeLocations) && nodeLocations.length > 0) return nodeLocations.join(",");
  return /-[a-z]$/.test(String(location)) ? String(location) : `three zones of ${String(location)} (GKE's choice)`;
}

/** An EKS node group's zones are its subnets' zones. */
function awsZones(plan: Plan, subnetIds: unknown[]): string {
  const zones = subnetIds.map((id) => plan.resources.find((s) => s.type === "aws:ec2/subnet:Subnet" && `${s.name}-id` === id)?.inputs.availabilityZone ?? String(id));
  return [...new Set(zones.map(String))].join(",") || "none given";
}

function azureZones(zones: unknown, location: unknown): string {
  return Array.isArray(zones) && zones.length > 0 ? `${zones.join(",")}${location ? ` of ${String(location)}` : ""}` : "none (no zone redundancy)";
}
