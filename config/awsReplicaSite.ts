import { z } from "zod";
import { awsAvailabilityZone, awsVpcCidr } from "./primitives";
import { aws as awsFacts } from "./validate/facts";

/**
 * `aws.replicaSite`: where the stack runs from `backup.replicaRegion` once `backup.failover` is on (components/aws/
 * replicaSite.ts). Every key has a default derived from the rest of the stack, so a production stack fails over
 * without any of them.
 */
export const replicaSiteSection = z
  .object({
    /**
     * The three availability zones of the replica site's VPC, in backup.replicaRegion; unset means the region's first
     * three zones in facts/aws/zones-and-classes.json (no lookup: the plan of a failover must not depend on one).
     */
    availabilityZones: z.array(awsAvailabilityZone).length(3, "must list exactly three availability zones").optional(),
    /** The replica site's VPC CIDR (/16 to /20); unset means aws.network.vpcCidr (a separate VPC, never peered). */
    vpcCidr: awsVpcCidr.optional(),
    /**
     * The nodes' AMI in backup.replicaRegion. Required when aws.nodeImage.amiId is set (an AMI id belongs to one
     * region); otherwise the replica site reads the same Canonical SSM parameter in its own region.
     */
    amiId: z.string().regex(/^ami-[0-9a-f]{8,17}$/, "must be an AMI id such as ami-0123456789abcdef0").optional(),
  })
  .strict()
  .prefault({});

interface ReplicaSiteInputs {
  aws: {
    network: { vpcCidr: string };
    nodeImage: { amiId?: string };
    replicaSite: { availabilityZones?: string[]; vpcCidr?: string; amiId?: string };
  };
  backup: { replicaRegion?: string };
}

/** The replica site's settings with their defaults filled in. */
export interface ReplicaSite {
  region: string;
  availabilityZones: string[];
  vpcCidr: string;
  /** An explicit AMI id, or undefined to read Canonical's SSM parameter in the replica region. */
  amiId?: string;
}

/** The zones a region offers per the facts (facts/aws/zones-and-classes.json), by name. Pure. */
export function zonesOf(region: string): string[] {
  return (awsFacts.zones[region] ?? awsFacts.defaultZoneLetters).map((letter) => `${region}${letter}`);
}

/** The replica site of a stack with a replica region, defaults filled in; undefined without one. Pure. */
export function replicaSiteOf(config: ReplicaSiteInputs): ReplicaSite | undefined {
  const region = config.backup.replicaRegion;
  if (region === undefined) return undefined;
  const site = config.aws.replicaSite;
  return {
    region,
    availabilityZones: site.availabilityZones ?? zonesOf(region).slice(0, 3),
    vpcCidr: site.vpcCidr ?? config.aws.network.vpcCidr,
    ...(site.amiId ? { amiId: site.amiId } : {}),
  };
}
