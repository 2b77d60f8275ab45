import { z } from "zod";
import { intBetween } from "./primitives";

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
