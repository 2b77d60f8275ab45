import { z } from "zod";
import { flag, intBetween } from "./primitives";
import { checkLockAndFailover } from "./backupLock";
import type { RawStackConfig } from "./schema";
import * as facts from "./validate/facts";

/** A stack on a cloud whose resources the program creates (an `existing` cluster's backups are config/existing.ts's). */
export type CloudRawConfig = Exclude<RawStackConfig, { cloud: "existing" }>;

/** A cron expression (UTC) as Velero schedules take it; checked field by field in config/validate/cron.ts. */
const cron = z.string().min(1, 'must be a cron expression such as "0 */6 * * *"');

/** Backups and replication (Velero, backup bucket, database backups across regions). */
export const backupSection = z
  .object({
    /**
     * Second region the backup bucket and database backups replicate to; required in production. GCP: a region that
     * forms a Cloud Storage dual-region with gcp.region; AWS: another region of the same partition; Azure: the
     * location's paired region (where GRS/GZRS storage and MySQL geo-redundant backups go).
     */
    replicaRegion: z.string().min(1, "must not be empty").optional(),
    /** When Velero backs up the gitpod and cert-manager namespaces (cron, UTC). */
    schedule: cron.default("0 */6 * * *"),
    /** How long Velero keeps each backup, in hours (720 = 30 days). */
    ttlHours: intBetween(1, 8760).default(720),
    /** Days a replaced or deleted object version stays in the backup bucket before lifecycle removes it. */
    noncurrentVersionDays: intBetween(1, 3650).default(30),
    /**
     * Days a hard-deleted backup object stays recoverable: GCS soft delete (7 to 90 days) and Azure blob and container
     * soft delete. S3 has no soft delete; versioning plays that part there.
     */
    softDeleteDays: intBetween(7, 90).default(7),
    /** A cross-region read replica of the database, where the cloud offers one (Cloud SQL). */
    databaseReplica: z.boolean().default(false),
    /**
     * Days every object in the backup bucket is locked against deletion and overwrite, even by its writer (S3 Object
     * Lock, a GCS bucket retention policy, Azure version-level immutability). 0 turns the lock off. Default: production
     * locks for as long as `ttlHours` keeps a backup (rounded up to whole days), development does not lock, and
     * neither does GCP with `velero.volumeBackup` fileSystem (kopia rewrites an object a retention policy protects).
     */
    lockDays: intBetween(0, 3650).optional(),
    /**
     * governance: a principal with the cloud's explicit bypass or policy-delete permission can still shorten or
     * remove the lock (S3 governance mode, an unlocked GCS retention policy, an unlocked Azure policy); compliance:
     * nobody can until it expires (S3 compliance mode, a locked GCS retention policy; on Azure the policy is created
     * unlocked, as Azure requires, and the plan warns with the command that locks it).
     */
    lockMode: z.enum(["governance", "compliance"], { error: "must be governance or compliance" }).default("governance"),
    /**
     * The primary region is lost: the stack runs from a replica site in `backup.replicaRegion` (a cluster with the three
     * pools, built beside the lost region's resources, which stay declared as they are) on the surviving copies of the
     * data, and a restore reads the replica of the backups. Set by `npm run recover -- --region-loss`.
     */
    failover: flag.default(false),
  })
  .strict();


/** A Velero backup or schedule name (both are Kubernetes objects): a lowercase DNS subdomain. */
const veleroObjectName = z
  .string()
  .max(253, "must be at most 253 characters")
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "must be a Velero object name: lowercase letters, digits, '-' and '.'");

/**
 * Restore mode: set during disaster recovery so that `pulumi up` restores Velero's backup into the new cluster
 * before Gitpod is installed. Exactly one of backupName or scheduleName.
 */
export const restoreSection = z
  .object({
    /** Restore this Velero backup (`velero backup get` lists them, e.g. gitpod-20260101000000). */
    backupName: veleroObjectName.optional(),
    /** Restore the newest successful backup of this Velero schedule (the Kubernetes layer's schedule is `gitpod`). */
    scheduleName: veleroObjectName.optional(),
    /**
     * Read the backups from their read-only copy in `backup.replicaRegion` (a second BackupStorageLocation, `replica`)
     * while the primary region is down. Needs a cloud that hands one over (AWS replica bucket, Azure secondary endpoint).
     */
    fromReplica: flag.default(false),
    /**
     * Let a restore that ended PartiallyFailed go on to the certificate and Gitpod. Set only after reading Velero's
     * errors (`velero restore describe <name> --details`); `npm run recover` asks for the decision.
     */
    acceptPartialFailure: flag.default(false),
  })
  .strict()
  .refine((restore) => (restore.backupName === undefined) !== (restore.scheduleName === undefined), {
    message: "set exactly one of backupName or scheduleName",
  });

/**
 * Regions Cloud Storage pairs into a configurable dual-region, by the multi-region (bucket `location`) they belong to:
 * facts/gcp/dual-regions.json (source, date and refresh there).
 */
export const gcsDualRegionGroups: Readonly<Record<"ASIA" | "EU" | "US", readonly string[]>> = facts.gcp.dualRegionGroups;

export type GcsMultiRegion = keyof typeof gcsDualRegionGroups;

/** The multi-region whose configurable dual-regions include a region, or undefined. Pure. */
export function gcsMultiRegionOf(region: string): GcsMultiRegion | undefined {
  return (Object.keys(gcsDualRegionGroups) as GcsMultiRegion[]).find((group) => gcsDualRegionGroups[group].includes(region));
}

/**
 * Azure's region pairs: geo-redundant storage (GRS, GZRS, RA-*) and MySQL geo-redundant backup always copy to the
 * primary's paired region; neither lets you pick another one. facts/azure/locations.json (source, date, refresh).
 */
export const azurePairedRegions: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(facts.azure.locations).flatMap(([location, { pair }]) => (pair ? [[location, pair]] : [])),
);

const awsRegionPattern = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

/** The AWS partition of a region; replication never crosses partitions. */
function awsPartition(region: string): string {
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  if (region.startsWith("cn-")) return "aws-cn";
  return "aws";
}

/** What is wrong with a replica region for the stack's cloud and primary region, or undefined when it is allowed. Pure. */
export function replicaRegionProblem(cloud: "gcp" | "aws" | "azure", primary: string, replica: string): string | undefined {
  switch (cloud) {
    case "gcp": {
      const group = gcsMultiRegionOf(primary);
      if (group === undefined) {
        return `gcp.region ${primary} is in no configurable Cloud Storage dual-region, so the backup bucket cannot replicate; run the stack in one of ${Object.values(gcsDualRegionGroups).flat().join(", ")}`;
      }
      const partners = gcsDualRegionGroups[group].filter((region) => region !== primary);
      if (replica === primary || !(partners as readonly string[]).includes(replica)) {
        return `must form a Cloud Storage dual-region (${group}) with gcp.region ${primary}: one of ${partners.join(", ")}`;
      }
      return undefined;
    }
    case "aws":
      if (!awsRegionPattern.test(replica)) return "must be an AWS region such as eu-central-1";
      if (replica === primary) return `must differ from aws.region (${primary})`;
      if (awsPartition(replica) !== awsPartition(primary)) {
        return `must be in the same AWS partition as aws.region ${primary} (${awsPartition(primary)}): S3 and RDS replicate within a partition only`;
      }
      return undefined;
    case "azure": {
      const pair = azurePairedRegions[primary];
      if (pair === undefined) {
        return `azure.location ${primary} has no paired region, so geo-redundant storage and MySQL geo-redundant backup are unavailable; run the stack in a paired location such as westeurope`;
      }
      if (replica !== pair) {
        return `must be ${pair}: geo-redundant storage and MySQL geo-redundant backup of ${primary} always go to its paired region, ${pair}`;
      }
      return undefined;
    }
  }
}

/** Whether the facts know the primary region; an unknown one is reported on gcp.region / aws.region / azure.location. */
function isKnownRegion(cloud: CloudRawConfig["cloud"], region: string): boolean {
  if (cloud === "gcp") return region in facts.gcp.regions;
  if (cloud === "aws") return facts.aws.regions.includes(region);
  return region in facts.azure.locations;
}

/** The primary region of a stack: what its backups must survive the loss of. */
function primaryRegionOf(raw: CloudRawConfig): string {
  switch (raw.cloud) {
    case "gcp":
      return raw.gcp.region;
    case "aws":
      return raw.aws.region;
    case "azure":
      return raw.azure.location;
  }
}

/** Close partners of busy regions (the pairs of Google's predefined dual-regions where one exists), for the message. */
const gcsNearbyPartner: Readonly<Record<string, string>> = {
  "europe-west1": "europe-west4",
  "europe-west4": "europe-north1",
  "europe-north1": "europe-west4",
  "europe-west3": "europe-west4",
  "us-central1": "us-east4",
  "us-east4": "us-central1",
  "us-east1": "us-east4",
  "us-west1": "us-west2",
  "asia-northeast1": "asia-northeast2",
  "asia-northeast2": "asia-northeast1",
};

/** An example replica region for the message when a production stack sets none. */
function suggestedReplica(raw: CloudRawConfig, primary: string): string {
  switch (raw.cloud) {
    case "gcp": {
      const group = gcsMultiRegionOf(primary);
      if (group === undefined) return "a region of the same Cloud Storage dual-region";
      return gcsNearbyPartner[primary] ?? gcsDualRegionGroups[group].filter((region) => region !== primary)[0];
    }
    case "aws":
      return primary === "eu-central-1" ? "eu-west-1" : "eu-central-1";
    case "azure":
      return azurePairedRegions[primary] ?? "the location's paired region";
  }
}

/**
 * Checks the backup section against the rest of the stack: the replica region is allowed for the cloud and the
 * primary region, production sets one (backups that die with their region are no backups), and a database replica
 * has a region to go to and a cloud that offers one. Called from resolveDefaults, before anything is registered.
 */
export function checkBackup(raw: CloudRawConfig, ctx: z.RefinementCtx, warning: (message: string) => void): void {
  const { backup } = raw;
  const primary = primaryRegionOf(raw);
  const problem = (key: string, input: unknown, message: string) =>
    ctx.addIssue({ code: "custom", path: ["backup", key], input, message });
  if (backup.replicaRegion === undefined) {
    if (raw.environment === "production") {
      problem(
        "replicaRegion",
        undefined,
        `must be set in production: backups and database backups must survive the loss of ${primary}; set it to, e.g., ${suggestedReplica(raw, primary)}`,
      );
    }
  } else if (isKnownRegion(raw.cloud, primary)) {
    const message = replicaRegionProblem(raw.cloud, primary, backup.replicaRegion);
    if (message !== undefined) problem("replicaRegion", backup.replicaRegion, message);
  }
  checkLockAndFailover(raw, problem, warning);
  if (backup.databaseReplica) {
    if (raw.cloud !== "gcp") {
      problem(
        "databaseReplica",
        true,
        `is only available on gcp (a Cloud SQL cross-region replica); on ${raw.cloud} the database's backups reach backup.replicaRegion by ${raw.cloud === "aws" ? "automated backup replication" : "geo-redundant backup"}`,
      );
    } else if (backup.replicaRegion === undefined) {
      problem("databaseReplica", true, "needs backup.replicaRegion: the replica goes to that region");
    }
  }
}
