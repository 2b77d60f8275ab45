import { nodeCapacity } from "../aws";
import { replicaSiteOf, zonesOf } from "../awsReplicaSite";
import type { StackConfig } from "../resolve";
import { checkHostBits, checkNoOverlap } from "./network";
import { Report } from "./report";

type AwsConfig = Extract<StackConfig, { cloud: "aws" }>;

/**
 * `aws.replicaSite` and `backup.failover` on AWS, before anything is registered: the site's zones belong to
 * backup.replicaRegion (facts/aws/zones-and-classes.json), its VPC has room for the node pools and does not overlap
 * the Kubernetes service range, an explicit AMI has a counterpart in the replica region, and there is a replica of
 * Gitpod's object storage to fail over to.
 */
export function checkAwsReplicaSite(config: AwsConfig, report: Report): void {
  const { replicaSite: keys } = config.aws;
  const site = replicaSiteOf(config);
  if (site === undefined) {
    for (const key of Object.keys(keys) as (keyof typeof keys)[]) {
      if (keys[key] !== undefined) report.problem(["aws", "replicaSite", key], keys[key], "needs backup.replicaRegion: the replica site is built there");
    }
    return;
  }
  const valid = zonesOf(site.region);
  (keys.availabilityZones ?? []).forEach((zone, i) => {
    if (!valid.includes(zone)) report.problem(["aws", "replicaSite", "availabilityZones", i], zone, `is not a zone of backup.replicaRegion ${site.region}: one of ${valid.join(", ")}`);
  });
  const vpc = { path: ["aws", "replicaSite", "vpcCidr"], cidr: site.vpcCidr };
  if (keys.vpcCidr !== undefined) {
    checkHostBits([vpc], report);
    checkNoOverlap([{ path: ["aws", "network", "serviceCidr"], cidr: config.aws.network.serviceCidr }, vpc], report);
    const wanted = Object.values(config.nodePools).reduce((sum, pool) => sum + pool.maxNodes, 0);
    const capacity = nodeCapacity(site.vpcCidr);
    if (wanted > capacity) {
      report.problem(vpc.path, site.vpcCidr, `has room for about ${capacity} nodes of 110 pods, but the node pools may grow to ${wanted}: use a larger VPC (/16 holds 168)`);
    }
  }
  if (!config.backup.failover) return;
  if (config.aws.nodeImage.amiId !== undefined && site.amiId === undefined) {
    report.problem(
      ["aws", "replicaSite", "amiId"],
      undefined,
      `must be set while aws.nodeImage.amiId (${config.aws.nodeImage.amiId}) is: an AMI id belongs to one region; give the same Ubuntu EKS image's id in ${site.region}`,
    );
  }
  if (config.aws.objectStorage.existingBucket !== undefined) {
    report.problem(
      ["backup", "failover"],
      true,
      `cannot move Gitpod's object storage: aws.objectStorage.existingBucket (${config.aws.objectStorage.existingBucket}) is not replicated by the stack, so there is no copy in ${site.region} to fail over to`,
    );
  }
}
