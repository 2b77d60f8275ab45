import * as gcp from "../../providers/sdk/gcp";
import * as pulumi from "@pulumi/pulumi";
import { gcsMultiRegionOf } from "../../config/backup";
import { BackupTarget } from "../platform";
import { veleroPluginImage } from "../veleroPlugins";
import { crossRegionReplica, CrossRegionReplicaArgs } from "./databaseReplica";
import { backupBucketName, customRoleId } from "./naming";

/**
 * What Velero's object store needs on its bucket, no more (velero-plugin-for-gcp README, "Set permissions for
 * Velero"). Bound on the backup bucket only, so Velero cannot read Gitpod's buckets or any other.
 */
export const veleroObjectPermissions = ["storage.objects.create", "storage.objects.delete", "storage.objects.get", "storage.objects.list"];

/** What Velero's volume snapshotter needs in the project (velero-plugin-for-gcp README, "Create Custom Role"). */
export const veleroSnapshotPermissions = [
  "compute.disks.create",
  "compute.disks.createSnapshot",
  "compute.disks.get",
  "compute.projects.get",
  "compute.snapshots.create",
  "compute.snapshots.delete",
  "compute.snapshots.get",
  "compute.snapshots.setLabels",
  "compute.snapshots.useReadOnly",
  "compute.zones.get",
];

/**
 * Signed URLs for `velero backup logs/describe/download`: the plugin signs as its own service account, so the
 * permission is granted on that account only (the README grants it project-wide, which would let Velero sign as any
 * account of the project).
 */
export const veleroSignPermissions = ["iam.serviceAccounts.signBlob"];

/** Where the backup bucket lives and replicates to, and where volume snapshots are kept. Pure. */
export interface BackupPlacement {
  /** Bucket `location`: the multi-region of a dual-region, or the region itself. */
  location: string;
  /** The two regions of a configurable dual-region (uppercase, as GCS reports them); undefined for a regional bucket. */
  dataLocations?: string[];
  /** ASYNC_TURBO (every object in both regions within 15 minutes) for a dual-region; undefined for a regional bucket. */
  rpo?: "ASYNC_TURBO";
  /** Velero's VSL snapshotLocation: the multi-region (snapshots survive the region), else the region. */
  snapshotLocation: string;
}

/** The placement of the backup bucket for a primary region and an optional replica region (validated by config). */
export function backupPlacement(region: string, replicaRegion: string | undefined): BackupPlacement {
  if (replicaRegion === undefined) return { location: region.toUpperCase(), snapshotLocation: region };
  const multiRegion = gcsMultiRegionOf(region);
  if (multiRegion === undefined || gcsMultiRegionOf(replicaRegion) !== multiRegion) {
    throw new Error(`${region} and ${replicaRegion} form no Cloud Storage dual-region`);
  }
  return {
    location: multiRegion,
    dataLocations: [region.toUpperCase(), replicaRegion.toUpperCase()],
    rpo: "ASYNC_TURBO",
    snapshotLocation: multiRegion.toLowerCase(),
  };
}

export interface GcpBackupArgs {
  /** Project of the bucket, the roles and the database replica. */
  project: string;
  /** The stack's region (first region of the dual-region). */
  region: string;
  /** Second region of the dual-region and of the database replica; unset makes a regional bucket (development). */
  replicaRegion?: string;
  /** Name of the stack, for project-wide names. */
  stack: string;
  /** Days a noncurrent object version is kept before lifecycle deletes it. */
  noncurrentVersionDays: number;
  /** Days a deleted object stays recoverable (soft delete policy, 7 to 90). */
  softDeleteDays: number;
  /**
   * Bucket retention policy (Bucket Lock): no object can be deleted or replaced, by anyone, before it is this many days
   * old; `locked` makes that permanent. Unset: no retention policy, versioning instead.
   */
  retention?: { days: number; locked: boolean };
  /** Velero's Google service account (components/gcp/identity.ts), bound to its Kubernetes service account. */
  veleroAccount: gcp.serviceaccount.Account;
  /** Protect the bucket and the database replica (Pulumi protect and deletion protection). */
  protect: boolean;
  /** The primary Cloud SQL instance and its settings, when a cross-region read replica is wanted. */
  databaseReplica?: Pick<CrossRegionReplicaArgs, "primary" | "database" | "networkId" | "backupLocation" | "promote">;
}

/**
 * Velero's backup target on Google Cloud: a bucket of its own (never Gitpod's), dual-region across the stack's region
 * and the replica region with turbo replication, versioned, uniform access, public access prevented, old versions
 * expired and deleted objects soft-deleted; least-privilege grants for Velero's service account; and, when configured,
 * a cross-region read replica of Cloud SQL.
 */
export class GcpBackup extends pulumi.ComponentResource {
  readonly bucket: gcp.storage.Bucket;
  readonly target: BackupTarget;
  /** The cross-region read replica, when `backup.databaseReplica` is set. */
  readonly databaseReplica?: gcp.sql.DatabaseInstance;

  constructor(name: string, args: GcpBackupArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:gcp:Backup", name, {}, opts);
    const placement = backupPlacement(args.region, args.replicaRegion);
    this.bucket = new gcp.storage.Bucket(
      `${name}-bucket`,
      {
        name: backupBucketName(args.project, args.stack),
        project: args.project,
        location: placement.location,
        customPlacementConfig: placement.dataLocations ? { dataLocations: placement.dataLocations } : undefined,
        rpo: placement.rpo,
        storageClass: "STANDARD",
        uniformBucketLevelAccess: true,
        publicAccessPrevention: "enforced",
        // A retention policy and Object Versioning exclude each other on a bucket; the policy is the stronger one.
        versioning: { enabled: args.retention === undefined },
        retentionPolicy: args.retention
          ? { retentionPeriod: String(args.retention.days * 86400), isLocked: args.retention.locked }
          : undefined,
        softDeletePolicy: { retentionDurationSeconds: args.softDeleteDays * 86400 },
        lifecycleRules: [
          ...(args.retention === undefined
            ? [{ action: { type: "Delete" }, condition: { daysSinceNoncurrentTime: args.noncurrentVersionDays, withState: "ARCHIVED" } }]
            : []),
          { action: { type: "AbortIncompleteMultipartUpload" }, condition: { age: 7 } },
        ],
        // Development is rebuilt freely: its bucket goes with the stack, backups included.
        forceDestroy: !args.protect,
        labels: { purpose: "velero-backups" },
      },
      { parent: this, protect: args.protect },
    );

    const member = pulumi.interpolate`serviceAccount:${args.veleroAccount.email}`;
    const role = (part: string, title: string, permissions: string[]) =>
      new gcp.projects.IAMCustomRole(
        `${name}-${part}-role`,
        { project: args.project, roleId: customRoleId(args.stack, `velero_${part}`), title: `${title} (${args.stack})`, permissions },
        { parent: this },
      );
    const objects = role("objects", "Velero backup objects", veleroObjectPermissions);
    new gcp.storage.BucketIAMMember(`${name}-objects`, { bucket: this.bucket.name, role: objects.name, member }, { parent: this });
    const snapshots = role("snapshots", "Velero disk snapshots", veleroSnapshotPermissions);
    new gcp.projects.IAMMember(`${name}-snapshots`, { project: args.project, role: snapshots.name, member }, { parent: this });
    const sign = role("sign", "Velero signed URLs", veleroSignPermissions);
    new gcp.serviceaccount.IAMMember(
      `${name}-sign`,
      { serviceAccountId: args.veleroAccount.name, role: sign.name, member },
      { parent: this },
    );

    if (args.databaseReplica !== undefined) {
      if (args.replicaRegion === undefined) throw new Error("a database replica needs backup.replicaRegion");
      this.databaseReplica = crossRegionReplica(
        `${name}-mysql-replica`,
        { ...args.databaseReplica, project: args.project, region: args.replicaRegion, stack: args.stack, protect: args.protect },
        { parent: this },
      );
    }

    this.target = {
      provider: "velero.io/gcp",
      pluginImage: veleroPluginImage("gcp"),
      bucket: this.bucket.name,
      config: args.veleroAccount.email.apply((email): Record<string, string> => ({ serviceAccount: email })),
      snapshotConfig: pulumi.output<Record<string, string>>({ project: args.project, snapshotLocation: placement.snapshotLocation }),
    };
    this.registerOutputs({ bucket: this.bucket.name, databaseReplica: this.databaseReplica?.connectionName });
  }
}
