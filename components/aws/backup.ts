import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BackupReplica, BackupTarget } from "../platform";
import { veleroPluginImage } from "../veleroPlugins";
import { policyDocument, PolicyStatement } from "./common";
import { bucketPrefix, PrivateBucket } from "./storage";

/**
 * Velero's access to its bucket, exactly the S3 actions velero-plugin-for-aws documents ("Set permissions for
 * Velero"), on the backup bucket only. Its EBS snapshot permissions are on the same role (identity.ts).
 */
export function veleroBucketPolicy(bucketArn: string): string {
  return policyDocument([
    {
      Sid: "BackupObjects",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:DeleteObject", "s3:PutObject", "s3:PutObjectTagging", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
      Resource: `${bucketArn}/*`,
    },
    { Sid: "BackupBucket", Effect: "Allow", Action: "s3:ListBucket", Resource: bucketArn },
  ]);
}

/**
 * Velero may read the replica bucket, nothing more: enough for a read-only BackupStorageLocation there, from which a
 * cluster restores while the primary region is down. Writes reach the replica only through replication.
 */
export function veleroReplicaReadPolicy(bucketArn: string): string {
  return policyDocument([
    { Sid: "ReadReplicaObjects", Effect: "Allow", Action: "s3:GetObject", Resource: `${bucketArn}/*` },
    { Sid: "ListReplicaBucket", Effect: "Allow", Action: "s3:ListBucket", Resource: bucketArn },
  ]);
}

/**
 * Trust policy of the replication role: only S3, and only on behalf of this account's buckets (confused-deputy
 * protection), may assume it.
 */
export function replicationTrustPolicy(accountId: string): string {
  return policyDocument([
    {
      Effect: "Allow",
      Principal: { Service: "s3.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "aws:SourceAccount": accountId } },
    },
  ]);
}

/**
 * What S3 replication needs (S3 user guide, "Setting up permissions for live replication"): read the source
 * bucket's replication configuration and object versions, and write replicas, delete markers and tags into the
 * destination bucket; nothing on any other bucket.
 */
export function replicationPolicy(sourceArn: string, destinationArn: string): string {
  const statements: PolicyStatement[] = [
    { Sid: "SourceBucket", Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: sourceArn },
    {
      Sid: "SourceObjects",
      Effect: "Allow",
      Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
      Resource: `${sourceArn}/*`,
    },
    {
      Sid: "DestinationObjects",
      Effect: "Allow",
      Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
      Resource: `${destinationArn}/*`,
    },
  ];
  return policyDocument(statements);
}

/** Replication Time Control's threshold: S3 replicates 99.99% of objects within it, and metrics alert past it. */
export const replicationTimeMinutes = 15;

/** The one replication rule: every object and delete marker, under Replication Time Control with metrics. Pure. */
export function replicationRule(destinationArn: string): aws.types.input.s3.BucketReplicationConfigRule {
  return {
    id: "replicate-velero-backups",
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

export interface AwsBackupArgs {
  /** Start of the buckets' names (the cluster name). */
  namePrefix: string;
  /** The stack's region: Velero's BackupStorageLocation and VolumeSnapshotLocation region. */
  region: string;
  /** The second region; unset means no replica bucket and no backup replication (development only). */
  replicaRegion?: string;
  /** Provider of the replica region; required with replicaRegion. */
  replicaProvider?: aws.Provider;
  /** Account of the stack, for the replication role's trust condition. */
  accountId: pulumi.Input<string>;
  /** Days noncurrent versions stay in both buckets. */
  noncurrentVersionDays: number;
  /** Velero's IRSA role (components/aws/identity.ts); gets access to the backup bucket. */
  veleroRole: aws.iam.Role;
  /** ARN of the RDS instance whose automated backups are replicated to the replica region. */
  databaseArn: pulumi.Input<string>;
  /** Days the replicated automated backups are kept (the instance's retention). */
  databaseRetentionDays: number;
  /** Protect the buckets, the replicated database backups and their key. */
  protect: boolean;
}

/**
 * Velero's backup target on AWS: a private, versioned, encrypted backup bucket (never Gitpod's), replicated with
 * S3 Replication Time Control and delete markers to a bucket in the replica region by a role that may do only that;
 * Velero's IRSA role gets the S3 actions on the backup bucket only; and RDS automated backups (snapshots and
 * transaction logs) are replicated to the replica region with the instance's retention.
 */
export class AwsBackup extends pulumi.ComponentResource {
  readonly bucket: PrivateBucket;
  readonly replicaBucket?: PrivateBucket;
  readonly databaseBackups?: aws.rds.InstanceAutomatedBackupsReplication;
  readonly target: BackupTarget;

  constructor(name: string, args: AwsBackupArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:aws:Backup", name, {}, opts);
    const bucketArgs = { purpose: "velero-backups", noncurrentVersionDays: args.noncurrentVersionDays, protect: args.protect };
    this.bucket = new PrivateBucket(`${name}-bucket`, { ...bucketArgs, bucketPrefix: bucketPrefix(args.namePrefix, "velero") }, { parent: this });
    new aws.iam.RolePolicy(
      `${name}-velero-bucket`,
      { role: args.veleroRole.name, policy: this.bucket.arn.apply(veleroBucketPolicy) },
      { parent: this },
    );

    if (args.replicaRegion !== undefined) {
      if (args.replicaProvider === undefined) throw new Error("a replica region needs its provider");
      const inReplicaRegion = { parent: this, provider: args.replicaProvider };
      this.replicaBucket = new PrivateBucket(
        `${name}-replica`,
        { ...bucketArgs, purpose: "velero-backups-replica", bucketPrefix: bucketPrefix(args.namePrefix, "velero-replica") },
        inReplicaRegion,
      );
      const role = new aws.iam.Role(
        `${name}-replication`,
        {
          description: `S3 replication of Velero's backups to ${args.replicaRegion}`,
          assumeRolePolicy: pulumi.output(args.accountId).apply(replicationTrustPolicy),
        },
        { parent: this },
      );
      const replica = this.replicaBucket;
      new aws.iam.RolePolicy(
        `${name}-velero-replica`,
        { role: args.veleroRole.name, policy: replica.arn.apply(veleroReplicaReadPolicy) },
        { parent: this },
      );
      const policy = new aws.iam.RolePolicy(
        `${name}-replication`,
        { role: role.name, policy: pulumi.all([this.bucket.arn, replica.arn]).apply(([source, destination]) => replicationPolicy(source, destination)) },
        { parent: this },
      );
      // Replication needs versioning on both buckets: depending on the bucket components waits for their versioning.
      new aws.s3.BucketReplicationConfig(
        `${name}-replication`,
        { bucket: this.bucket.bucket.id, role: role.arn, rules: [replica.arn.apply(replicationRule)] },
        { parent: this, dependsOn: [this.bucket, replica, policy] },
      );

      // Encrypted snapshots are copied under a key of the destination region.
      const key = new aws.kms.Key(
        `${name}-db-key`,
        { description: `Replicated automated backups of Gitpod's RDS MySQL (${name})`, enableKeyRotation: true, deletionWindowInDays: 30 },
        { ...inReplicaRegion, protect: args.protect },
      );
      this.databaseBackups = new aws.rds.InstanceAutomatedBackupsReplication(
        `${name}-db-backups`,
        { sourceDbInstanceArn: args.databaseArn, retentionPeriod: args.databaseRetentionDays, kmsKeyId: key.arn },
        { ...inReplicaRegion, protect: args.protect },
      );
    }

    const replicaLocation: BackupReplica | undefined =
      this.replicaBucket && args.replicaRegion
        ? { bucket: this.replicaBucket.name, config: pulumi.output<Record<string, string>>({ region: args.replicaRegion }) }
        : undefined;
    this.target = {
      provider: "velero.io/aws",
      pluginImage: veleroPluginImage("aws"),
      bucket: this.bucket.name,
      config: pulumi.output<Record<string, string>>({ region: args.region }),
      snapshotConfig: pulumi.output<Record<string, string>>({ region: args.region }),
      ...(replicaLocation ? { replica: replicaLocation } : {}),
    };
    this.registerOutputs({ bucket: this.bucket.name, replicaBucket: this.replicaBucket?.name });
  }
}
