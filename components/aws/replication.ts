import * as aws from "../../providers/sdk/aws";
import * as pulumi from "@pulumi/pulumi";
import { PrivateBucket } from "./bucket";
import { policyDocument, PolicyStatement, serviceTrustPolicy } from "./common";

/** One source bucket replicated into one destination bucket, under a rule id that names it in metrics and alarms. */
export interface ReplicatedPair {
  /** Rule id (also the `RuleId` dimension of its CloudWatch metrics). */
  id: string;
  source: PrivateBucket;
  destination: PrivateBucket;
  /** The source has Object Lock: the role also reads each version's retention and legal hold, which replicate along. */
  objectLock: boolean;
}

/**
 * What S3 replication needs (S3 user guide, "Setting up permissions for live replication"): read each source
 * bucket's replication configuration and object versions, and write replicas, delete markers and tags into its
 * destination; for Object Lock sources also the versions' retention and legal hold (S3 UG, "Object Lock
 * considerations"); nothing on any other bucket.
 */
export function replicationPolicy(pairs: { source: string; destination: string; objectLock: boolean }[]): string {
  const statements: PolicyStatement[] = pairs.flatMap(({ source, destination, objectLock }, index) => [
    { Sid: `Source${index}`, Effect: "Allow" as const, Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: source },
    {
      Sid: `SourceObjects${index}`,
      Effect: "Allow" as const,
      Action: [
        "s3:GetObjectVersionForReplication",
        "s3:GetObjectVersionAcl",
        "s3:GetObjectVersionTagging",
        ...(objectLock ? ["s3:GetObjectRetention", "s3:GetObjectLegalHold"] : []),
      ],
      Resource: `${source}/*`,
    },
    {
      Sid: `DestinationObjects${index}`,
      Effect: "Allow" as const,
      Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
      Resource: `${destination}/*`,
    },
  ]);
  return policyDocument(statements);
}

/** Replication Time Control's threshold: S3 replicates 99.99% of objects within it, and metrics alert past it. */
export const replicationTimeMinutes = 15;

/**
 * The one replication rule of a bucket: every object and delete marker, under Replication Time Control with metrics
 * (which the alarms below read). Pure.
 */
export function replicationRule(id: string, destinationArn: string): aws.types.input.s3.BucketReplicationConfigRule {
  return {
    id,
    status: "Enabled",
    priority: 1,
    filter: {},
    deleteMarkerReplication: { status: "Enabled" },
    destination: {
      bucket: destinationArn,
      storageClass: "STANDARD",
      replicationTime: { status: "Enabled", time: { minutes: replicationTimeMinutes } },
      metrics: { status: "Enabled", eventThreshold: { minutes: replicationTimeMinutes } },
    },
  };
}

/**
 * The CloudWatch alarms of one replication rule, from the S3 replication metrics RTC publishes in the source region
 * (namespace AWS/S3, dimensions SourceBucket, DestinationBucket, RuleId; S3 UG "Monitoring replication with
 * metrics"): any failed operation, and a replication latency past the RTC threshold. Missing data is not breaching:
 * the metrics only exist while something replicates.
 */
export function replicationAlarms(
  rule: string,
  source: pulumi.Input<string>,
  destination: pulumi.Input<string>,
  alarmActions: string[],
): Record<"failed" | "late", aws.cloudwatch.MetricAlarmArgs> {
  const common = {
    namespace: "AWS/S3",
    dimensions: { SourceBucket: source, DestinationBucket: destination, RuleId: rule },
    period: 300,
    evaluationPeriods: 1,
    comparisonOperator: "GreaterThanThreshold",
    treatMissingData: "notBreaching",
    alarmActions,
    okActions: alarmActions,
  };
  return {
    failed: {
      ...common,
      alarmDescription: pulumi.interpolate`S3 replication ${rule}: objects failed to replicate from ${source} to ${destination}`,
      metricName: "OperationsFailedReplication",
      statistic: "Sum",
      threshold: 0,
    },
    late: {
      ...common,
      alarmDescription: pulumi.interpolate`S3 replication ${rule}: ${source} to ${destination} is more than ${replicationTimeMinutes} minutes behind`,
      metricName: "ReplicationLatency",
      statistic: "Maximum",
      threshold: replicationTimeMinutes * 60,
    },
  };
}

export interface BucketReplicationArgs {
  pairs: ReplicatedPair[];
  /** SNS topics the alarms notify. */
  alarmActions: string[];
}

/**
 * Cross-region replication of the stack's buckets (Velero's backups, Gitpod's object storage): one role S3 assumes,
 * with AWS's documented trust policy (S3 UG, "Setting up permissions for live replication": the s3.amazonaws.com
 * principal, no conditions; only a principal allowed iam:PassRole in this account can name the role in a
 * replication configuration), one rule per bucket, and alarms on failed and late replication.
 */
export class BucketReplication extends pulumi.ComponentResource {
  readonly role: aws.iam.Role;

  constructor(name: string, args: BucketReplicationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:aws:BucketReplication", name, {}, opts);
    this.role = new aws.iam.Role(
      `${name}-role`,
      { description: "S3 replication of the stack's buckets to the replica region", assumeRolePolicy: serviceTrustPolicy("s3.amazonaws.com") },
      { parent: this },
    );
    for (const pair of args.pairs) {
      // One policy per pair, so that each rule depends on its own buckets only.
      const policy = new aws.iam.RolePolicy(
        `${name}-${pair.id}`,
        {
          role: this.role.name,
          policy: pulumi
            .all([pair.source.arn, pair.destination.arn])
            .apply(([source, destination]) => replicationPolicy([{ source, destination, objectLock: pair.objectLock }])),
        },
        { parent: this },
      );
      // Replication needs versioning on both buckets: depending on the bucket components waits for their versioning.
      new aws.s3.BucketReplicationConfig(
        `${name}-${pair.id}`,
        { bucket: pair.source.bucket.id, role: this.role.arn, rules: [pair.destination.arn.apply((arn) => replicationRule(pair.id, arn))] },
        { parent: this, dependsOn: [pair.source, pair.destination, policy] },
      );
      const alarms = replicationAlarms(pair.id, pair.source.name, pair.destination.name, args.alarmActions);
      for (const [kind, alarm] of Object.entries(alarms)) new aws.cloudwatch.MetricAlarm(`${name}-${pair.id}-${kind}`, alarm, { parent: this });
    }
    this.registerOutputs({ roleArn: this.role.arn });
  }
}

