/** The backup bucket's lock against its writer, and failover to the replica region: defaults and the rules across keys. */
import type { CloudRawConfig } from "./backup";

/** Days the backup bucket locks each object when `backup.lockDays` is unset: production locks for the backups' TTL. */
export function defaultLockDays(ttlHours: number, production: boolean): number {
  return production ? Math.ceil(ttlHours / 24) : 0;
}

/**
 * The lock must hold every backup for its whole life: Velero's TTL (hours) at most the lock (days), or a writer could
 * delete a backup Velero still counts on. Failover needs a replica region to fail over to.
 */
export function checkLockAndFailover(raw: CloudRawConfig, problem: (key: string, input: unknown, message: string) => void): void {
  const { backup } = raw;
  const lockDays = backup.lockDays ?? defaultLockDays(backup.ttlHours, raw.environment === "production");
  if (lockDays > 0 && backup.ttlHours > lockDays * 24) {
    problem(
      "ttlHours",
      backup.ttlHours,
      `must be at most backup.lockDays x 24 = ${lockDays * 24}: a backup would outlive its lock, and for the rest of its life anyone with write access could delete it; raise backup.lockDays to ${Math.ceil(backup.ttlHours / 24)} or lower backup.ttlHours`,
    );
  }
  if (backup.failover && backup.replicaRegion === undefined) {
    problem("failover", true, "needs backup.replicaRegion: the stack fails over to that region");
  }
}
