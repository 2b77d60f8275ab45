import { z } from "zod";
import { cidrContains, cidrPrefix, cidrsOverlap } from "./cidr";
import { ipv4Cidr } from "./primitives";

export const availabilityZone = z.enum(["1", "2", "3"], { error: "must be an availability zone: 1, 2 or 3" });

/**
 * The site `backup.failover` builds in `backup.replicaRegion` (components/azure/replicaSite.ts): its own resource group,
 * VNet and AKS cluster. Every key is optional; the defaults come from the primary's settings and facts/azure/locations.json.
 */
export const azureReplicaSiteSection = z
  .object({
    /** Availability zones of the replica's pools and MySQL server; default ["1","2","3"] where the paired region has zones, else []. */
    zones: z.array(availabilityZone).optional(),
    /**
     * Address space of the replica's VNet; default network.vnetCidr. The two VNets are never peered (the primary's is
     * in the lost region), so they may reuse the same ranges; the replica cluster's pod and service ranges are the primary's.
     */
    vnetCidr: ipv4Cidr.optional(),
    /** Subnet of the replica's AKS nodes, inside the replica VNet; default network.clusterSubnetCidr. */
    clusterSubnetCidr: ipv4Cidr.optional(),
    /** Subnet delegated to the geo-restored MySQL server, inside the replica VNet; default network.databaseSubnetCidr. */
    databaseSubnetCidr: ipv4Cidr.optional(),
  })
  .strict();

/** What the replica's ranges are checked against: the primary's network and the replica site's keys. */
export interface ReplicaSiteInput {
  network: { vnetCidr: string; clusterSubnetCidr: string; databaseSubnetCidr: string; podCidr: string; serviceCidr: string };
  replicaSite: z.output<typeof azureReplicaSiteSection>;
}

/** The replica VNet's ranges, defaults applied: the replica site's keys, else the primary's. Pure. */
export function replicaNetworkOf(azure: ReplicaSiteInput): { vnetCidr: string; clusterSubnetCidr: string; databaseSubnetCidr: string } {
  const site = azure.replicaSite;
  return {
    vnetCidr: site.vnetCidr ?? azure.network.vnetCidr,
    clusterSubnetCidr: site.clusterSubnetCidr ?? azure.network.clusterSubnetCidr,
    databaseSubnetCidr: site.databaseSubnetCidr ?? azure.network.databaseSubnetCidr,
  };
}

/** The replica VNet's ranges against each other and the overlay (pods, services), as the primary's. Pure. */
export function replicaNetworkProblems(azure: ReplicaSiteInput): [string, string, string][] {
  const net = replicaNetworkOf(azure);
  const problems: [string, string, string][] = [];
  // Unset, the ranges are the primary's, which network.* already checks.
  const site = azure.replicaSite;
  if (site.vnetCidr === undefined && site.clusterSubnetCidr === undefined && site.databaseSubnetCidr === undefined) return problems;
  for (const key of ["clusterSubnetCidr", "databaseSubnetCidr"] as const) {
    if (!cidrContains(net.vnetCidr, net[key])) problems.push([key, net[key], `must lie inside the replica VNet (replicaSite.vnetCidr or network.vnetCidr: ${net.vnetCidr})`]);
  }
  if (cidrsOverlap(net.clusterSubnetCidr, net.databaseSubnetCidr)) {
    problems.push(["databaseSubnetCidr", net.databaseSubnetCidr, `must not overlap the replica's cluster subnet (${net.clusterSubnetCidr})`]);
  }
  if (cidrPrefix(net.databaseSubnetCidr) > 29) problems.push(["databaseSubnetCidr", net.databaseSubnetCidr, "must be /29 or larger (Azure recommends /28)"]);
  for (const key of ["podCidr", "serviceCidr"] as const) {
    if (cidrsOverlap(azure.network[key], net.vnetCidr)) {
      problems.push(["vnetCidr", net.vnetCidr, `must not overlap network.${key} (${azure.network[key]}), which the replica cluster uses too`]);
    }
  }
  return problems;
}
