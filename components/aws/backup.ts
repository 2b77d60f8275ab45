import * as aws from "../../providers/sdk/aws";
import * as pulumi from "@pulumi/pulumi";
import { BackupReplica, BackupTarget } from "../platform";
import { veleroPluginImage } from "../veleroPlugins";
import { bucketPrefix, PrivateBucket } from "./bucket";
import { policyDocument } from "./common";

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

export interface AwsBackupArgs {
  /** Start of the buckets' names (the cluster name). */
  namePrefix: string;
  /** The stack's region: Velero's BackupStorageLocation and VolumeSnapshotLocation region. */
  region: string;
  /** The second region; unset means no replica bucket and no backup replication (development only). */
  replicaRegion?: string;
  /** Provider of the replica region; required with replicaRegion. */
  replicaProvider?: aws.Provider;
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
  /** S3 Object Lock of both buckets (`backup.lockMode` for `backup.lockDays`), or undefined for none. */
  objectLock?: { mode: "governance" | "compliance"; days: number };
}

/**
 * Velero's backup target on AWS: a private, versioned, encrypted backup bucket (never Gitpod's) with S3 Object Lock,
 * and its replica bucket in the replica region, locked alike (replication.ts fills it); Velero's IRSA role gets the
 * S3 actions on the backup bucket and read access to the replica; and RDS automated backups (snapshots and
 * transaction logs) are replicated to the replica region with the instance's retention.
 */
export class AwsBackup extends pulumi.ComponentResource {
  readonly bucket: PrivateBucket;
  readonly replicaBucket?: PrivateBucket;
  readonly databaseBackups?: aws.rds.InstanceAutomatedBackupsReplication;
  /** The replica region's key the replicated database backups (and an instance restored from them) are encrypted with. */
  readonly databaseBackupsKeyArn?: pulumi.Output<string>;
  readonly target: BackupTarget;
  /** Whether the buckets have S3 Object Lock. */
  readonly locked: boolean;

  constructor(name: string, args: AwsBackupArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:aws:Backup", name, {}, opts);
    this.locked = args.objectLock !== undefined;
    const bucketArgs = {
      purpose: "velero-backups",
      noncurrentVersionDays: args.noncurrentVersionDays,
      protect: args.protect,
      ...(args.objectLock ? { objectLock: args.objectLock } : {}),
    };
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
      new aws.iam.RolePolicy(
        `${name}-velero-replica`,
        { role: args.veleroRole.name, policy: this.replicaBucket.arn.apply(veleroReplicaReadPolicy) },
        { parent: this },
      );

      // Encrypted snapshots are copied under a key of the destination region.
      const key = new aws.kms.Key(
        `${name}-db-key`,
        { description: `Replicated automated backups of Gitpod's RDS MySQL (${name})`, enableKeyRotation: true, deletionWindowInDays: 30 },
        { ...inReplicaRegion, protect: args.protect },
      );
      this.databaseBackupsKeyArn = key.arn;
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
