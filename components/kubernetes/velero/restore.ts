/** The Velero Restore of a recovery, as pure functions of plain data (the backup side is in objects.ts). */
import { createHash } from "crypto";
import { backedUpNamespaces, backupSelectorCopy, excludedFromBackup, excludedFromRestoreOnly, metadata } from "./objects";

/** What to restore: the stack config's `restore` section. */
export type RestoreSource = { backupName: string; scheduleName?: undefined } | { scheduleName: string; backupName?: undefined };

/** The validated `restore` config section (exactly one of the two names is set) as a RestoreSource. */
export function restoreSourceOf(section: { backupName?: string; scheduleName?: string }): RestoreSource {
  if (section.backupName !== undefined) return { backupName: section.backupName };
  if (section.scheduleName !== undefined) return { scheduleName: section.scheduleName };
  throw new Error("restore: set exactly one of backupName or scheduleName");
}

/**
 * The Restore's object name: fixed by its source, so a second `pulumi up` with the same config is a no-op and a
 * different source replaces it. At most 63 characters (Velero labels restored objects with it).
 */
export function restoreName(source: RestoreSource): string {
  const base = source.backupName !== undefined ? `restore-${source.backupName}` : `restore-latest-${source.scheduleName}`;
  if (base.length <= 63) return base;
  const hash = createHash("sha256").update(base).digest("hex").slice(0, 8);
  return `${base.slice(0, 54).replace(/[-.]+$/, "")}-${hash}`;
}

/**
 * `pulumi up` waits until the Restore has ended, whatever the outcome: Velero sets `status.completionTimestamp`
 * exactly when the phase becomes Completed, PartiallyFailed or Failed (velero v1.18.1
 * pkg/controller/restore_controller.go and restore_finalizer_controller.go), and FailedValidation (for example: no
 * such backup) sets `status.validationErrors` and no completionTimestamp. The expression selects whichever of the two
 * exists: pulumi-kubernetes parses waitFor as an RFC 9535 JSONPath (provider/pkg/jsonpath, since #3658, 2025-06),
 * whose bracketed selection takes several names, and a path without a value is satisfied once it selects anything.
 * The phase is then checked by the Kubernetes layer (restoreOutcome.ts), which stops the update at once with
 * Velero's errors.
 */
export const restoreWaitFor = "jsonpath={.status['completionTimestamp','validationErrors']}";

/**
 * The Velero Restore of the gitpod and cert-manager namespaces, without Pulumi's objects and workspaces
 * (backupSelector). Objects that already exist are left as they are.
 */
export function restore(input: { namespace: string; source: RestoreSource }): Record<string, unknown> {
  return {
    apiVersion: "velero.io/v1",
    kind: "Restore",
    metadata: metadata(restoreName(input.source), input.namespace, { "pulumi.com/waitFor": restoreWaitFor }),
    spec: {
      ...(input.source.backupName !== undefined ? { backupName: input.source.backupName } : { scheduleName: input.source.scheduleName }),
      includedNamespaces: [...backedUpNamespaces],
      excludedResources: [...excludedFromBackup, ...excludedFromRestoreOnly],
      labelSelector: backupSelectorCopy(),
      restorePVs: true,
      existingResourcePolicy: "none",
    },
  };
}
