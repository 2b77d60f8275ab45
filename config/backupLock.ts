/** The backup bucket's lock against its writer, and failover to the replica region: defaults and the rules across keys. */
import type { CloudRawConfig } from "./backup";

export type LockMode = "governance" | "compliance";

/**
 * GCP with kopia file-system backups: a GCS retention policy forbids replacing an object, but kopia rewrites its
 * kopia.maintenance object in the bucket, so such a bucket cannot be locked (velero.volumeBackup: snapshot can).
 */
function kopiaOnGcs(raw: CloudRawConfig): boolean {
  return raw.cloud === "gcp" && raw.velero.volumeBackup === "fileSystem";
}

/**
 * Days the backup bucket locks each object when `backup.lockDays` is unset: production locks for as long as the TTL
 * keeps a backup (whole days), development and GCP with kopia file-system backups (kopiaOnGcs) do not lock.
 */
export function defaultLockDays(raw: CloudRawConfig): number {
  if (raw.environment !== "production" || kopiaOnGcs(raw)) return 0;
  return Math.ceil(raw.backup.ttlHours / 24);
}

/** The lock each cloud component applies, from the resolved `backup.lockDays` and `backup.lockMode`; undefined: no lock. Pure. */
export function bucketLockOf(backup: { lockDays: number; lockMode: LockMode }): { days: number; mode: LockMode } | undefined {
  return backup.lockDays > 0 ? { days: backup.lockDays, mode: backup.lockMode } : undefined;
}

/**
 * The lock must hold every backup for its whole life: Velero's TTL (hours) at most the lock (days), or a writer could
 * delete a backup Velero still counts on. GCP cannot lock a bucket kopia writes to. Failover needs a replica region.
 */
export function checkLockAndFailover(
  raw: CloudRawConfig,
  problem: (key: string, input: unknown, message: string) => void,
  warning: (message: string) => void,
): void {
  const { backup } = raw;
  const lockDays = backup.lockDays ?? defaultLockDays(raw);
  if (lockDays > 0 && backup.ttlHours > lockDays * 24) {
    problem(
      "ttlHours",
      backup.ttlHours,
      `must be at most backup.lockDays x 24 = ${lockDays * 24}: a backup would outlive its lock, and for the rest of its life anyone with write access could delete it; raise backup.lockDays to ${Math.ceil(backup.ttlHours / 24)} or lower backup.ttlHours`,
    );
  }
  if (kopiaOnGcs(raw) && lockDays > 0) {
    problem(
      "lockDays",
      lockDays,
      'must be 0 on GCP while velero.volumeBackup is fileSystem: the lock is a GCS bucket retention policy, which forbids replacing an object, and kopia rewrites its kopia.maintenance object in the bucket; set velero.volumeBackup: snapshot to lock the bucket',
    );
  }
  if (kopiaOnGcs(raw) && backup.lockDays === undefined && raw.environment === "production") {
    warning(
      "backup.lockDays defaults to 0 on GCP with velero.volumeBackup fileSystem: the backup bucket is NOT locked against its writer (a GCS retention policy would stop kopia rewriting its kopia.maintenance object); set velero.volumeBackup: snapshot for a locked bucket, or backup.lockDays: 0 to acknowledge",
    );
  }
  if (raw.cloud === "azure" && lockDays > 0 && backup.lockMode === "compliance") {
    warning(
      "backup.lockMode compliance on Azure: the backup account's immutability policy is created Unlocked (Azure creates a policy only Disabled or Unlocked); lock it once, irreversibly, with `az storage account update --resource-group <group> --name <account> --immutability-state Locked` (docs/backup.md)",
    );
  }
  if (backup.failover && backup.replicaRegion === undefined) {
    problem("failover", true, "needs backup.replicaRegion: the stack fails over to that region");
  }
}
