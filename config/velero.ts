import { z } from "zod";
import { intBetween } from "./primitives";
import type { RawStackConfig } from "./schema";

/** How Velero backs up the data of persistent volumes (see docs/disaster-recovery.md). */
export const volumeBackupModes = ["fileSystem", "snapshot"] as const;
export type VolumeBackupMode = (typeof volumeBackupModes)[number];

/** Velero settings of the Kubernetes layer; what is backed up and when is the `backup` section. */
export const veleroSection = z
  .object({
    /**
     * fileSystem (default): kopia copies volume data into the backup bucket, which replicates to the second region.
     * snapshot: the cloud's disk snapshots, which stay in the cluster's region.
     */
    volumeBackup: z.enum(volumeBackupModes, { error: `must be one of ${volumeBackupModes.join(", ")}` }).default("fileSystem"),
    /** Minutes `pulumi up` waits for a Velero restore to complete (restore mode) before it fails. */
    restoreTimeoutMinutes: intBetween(5, 1440).default(60),
  })
  .strict();

export type VeleroConfig = z.output<typeof veleroSection>;

/**
 * Restoring from the replica (`restore.fromReplica`) needs a cloud that keeps a separate, readable copy of the backups
 * in `backup.replicaRegion`: AWS (the replica bucket) and Azure (the RA-GZRS secondary endpoint). Checked before
 * anything is registered.
 */
export function checkRestore(raw: RawStackConfig, ctx: z.RefinementCtx): void {
  if (raw.cloud === "existing" && raw.backup.failover) {
    ctx.addIssue({
      code: "custom",
      path: ["backup", "failover"],
      input: true,
      message: "has no meaning on cloud existing: the program owns no region there; build the new cluster, point the stack at it and restore",
    });
  }
  if (!raw.restore?.fromReplica) return;
  const problem = (message: string) => ctx.addIssue({ code: "custom", path: ["restore", "fromReplica"], input: true, message });
  if (raw.cloud === "gcp") {
    problem("has no replica to read on gcp: the dual-region backup bucket fails over by itself; restore without fromReplica");
  } else if (raw.cloud !== "aws" && raw.cloud !== "azure") {
    problem(`has no replica to read on cloud ${raw.cloud}: replicate the backup bucket with the store's own means and point the stack at the copy`);
  } else if (raw.backup.replicaRegion === undefined) {
    problem("needs backup.replicaRegion: the replica of the backups lives there");
  }
}

