/**
 * The stack config a recovery sets, as `namespace:key` values: the same for the command (through the Pulumi CLI),
 * its offline explanation and the tests (through the offline plan).
 */
import { configNamespace } from "../../config";
import { veleroNames } from "../../components/kubernetes/velero/objects";
import { RestoreSetting } from "./stack";

export interface RecoverySource {
  /** Restore this Velero backup; unset: the newest backup of the `gitpod` schedule. */
  backupName?: string;
  /** Read the backups from their copy in the replica region (AWS, Azure). */
  fromReplica?: boolean;
  /** The primary region is lost: `backup.failover` on (which reads the replica wherever there is one). */
  regionLoss?: boolean;
}

export const restoreKey = `${configNamespace}:restore`;
export const backupKey = `${configNamespace}:backup`;

/** The restore source the command sets. */
export function restoreSettingFor(options: Pick<RecoverySource, "backupName" | "fromReplica">): RestoreSetting {
  const source = options.backupName ? { backupName: options.backupName } : { scheduleName: veleroNames.schedule };
  return options.fromReplica ? { ...source, fromReplica: true } : source;
}

/** The `backup` section with `failover` on, from the stack's current value (a JSON object, or unset). */
export function withFailover(backupValue: string | undefined): Record<string, unknown> {
  const current = backupValue ? (JSON.parse(backupValue) as Record<string, unknown>) : {};
  return { ...current, failover: true };
}

/** The config values a recovery sets on top of the stack's own (`values` as the runtime hands them over). */
export function recoveryOverrides(values: Record<string, string>, source: RecoverySource): Record<string, string> {
  const overrides: Record<string, string> = { [restoreKey]: JSON.stringify(restoreSettingFor(source)) };
  if (source.regionLoss) overrides[backupKey] = JSON.stringify(withFailover(values[backupKey]));
  return overrides;
}
