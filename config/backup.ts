import { z } from "zod";
import { intBetween } from "./primitives";

/** A five-field cron expression (UTC), as Velero schedules take it. */
const cron = z
  .string()
  .regex(/^(\S+\s+){4}\S+$/, 'must be a five-field cron expression such as "0 */6 * * *"');

/** Backups and replication (Velero, backup bucket, database backups across regions). */
export const backupSection = z
  .object({
    /** Second region the backup bucket and database backups replicate to; must differ from the primary region. */
    replicaRegion: z.string().min(1, "must not be empty").optional(),
    /** When Velero backs up the gitpod and cert-manager namespaces (cron, UTC). */
    schedule: cron.default("0 */6 * * *"),
    /** How long Velero keeps each backup, in hours (720 = 30 days). */
    ttlHours: intBetween(1, 8760).default(720),
    /** Days a replaced or deleted object version stays in the backup bucket before lifecycle removes it. */
    noncurrentVersionDays: intBetween(1, 3650).default(30),
    /** A cross-region read replica of the database, where the cloud offers one (Cloud SQL). */
    databaseReplica: z.boolean().default(false),
  })
  .strict();

/**
 * Restore mode: set during disaster recovery so that `pulumi up` restores Velero's backup into the new cluster
 * before Gitpod is installed. Exactly one of backupName or scheduleName.
 */
export const restoreSection = z
  .object({
    /** Restore this backup. */
    backupName: z.string().min(1).optional(),
    /** Restore the newest backup of this schedule. */
    scheduleName: z.string().min(1).optional(),
  })
  .strict()
  .refine((restore) => (restore.backupName === undefined) !== (restore.scheduleName === undefined), {
    message: "set exactly one of backupName or scheduleName",
  });
