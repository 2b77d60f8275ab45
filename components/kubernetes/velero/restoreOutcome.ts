/**
 * The check after the Restore has ended (restoreWaitFor): only a Completed restore lets the rest of the recovery
 * (issuers, Certificate, Gitpod) go ahead; anything else stops `pulumi up` at once with what Velero reports, instead
 * of a silent wait. A PartiallyFailed restore goes ahead only when the operator has decided so after reading
 * Velero's errors (`restore.acceptPartialFailure`, which `npm run recover` asks for).
 */
import * as k8s from "../../../providers/sdk/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { managedByLabel } from "../../managedLabel";

/** The part of a Restore's status (velero.io/v1, facts/schemas/velero/restore.v1.schema.json) the check reads. */
export interface RestoreStatus {
  phase?: string;
  errors?: number;
  warnings?: number;
  failureReason?: string;
  validationErrors?: string[];
  completionTimestamp?: string;
}

/** Why the recovery must stop after this Restore, or undefined when it may go on. Pure. */
export function restoreProblem(name: string, status: RestoreStatus | undefined, acceptPartialFailure: boolean): string | undefined {
  const phase = status?.phase ?? "(no phase)";
  if (phase === "Completed") return undefined;
  if (phase === "PartiallyFailed" && acceptPartialFailure) return undefined;
  const details = [
    `phase ${phase}`,
    `${status?.errors ?? 0} errors`,
    `${status?.warnings ?? 0} warnings`,
    ...(status?.failureReason ? [`failure reason: ${status.failureReason}`] : []),
    ...(status?.validationErrors ?? []).map((error) => `validation error: ${error}`),
  ].join("; ");
  const decision =
    phase === "PartiallyFailed"
      ? "Read the errors; if the missing objects do not matter (the installer re-renders Gitpod's own), accept them with " +
        "`pulumi config set --path gitpod-platform:restore.acceptPartialFailure true` (npm run recover asks) and run again; " +
        "otherwise pick another backup."
      : "Fix the cause or pick another backup (a different source replaces the Restore), then run again.";
  return (
    `Velero restore ${name} did not complete (${details}). Velero's list of errors: ` +
    `velero restore describe ${name} --details; velero restore logs ${name}. ${decision}`
  );
}

/** The outputs of a Restore the check reads: its name and its live status. */
export interface LiveRestore {
  metadata: pulumi.Output<{ name: string }>;
  status: pulumi.Output<RestoreStatus | undefined>;
}

/** The outcome record's data; it fails (and with it the update) when restoreProblem finds one. */
export function checkedOutcome(restore: LiveRestore, acceptPartialFailure: boolean): pulumi.Output<Record<string, string>> {
  return pulumi.all([restore.metadata, restore.status]).apply(([metadata, status]): Record<string, string> => {
    const problem = restoreProblem(metadata.name, status, acceptPartialFailure);
    if (problem) throw new Error(problem);
    return { restore: metadata.name, phase: status?.phase ?? "", warnings: String(status?.warnings ?? 0), errors: String(status?.errors ?? 0) };
  });
}

/**
 * A ConfigMap that records the Restore's outcome and exists only once the check has passed: what must follow the
 * restore depends on it. Its data is computed from the Restore's live status, so a failed check fails its
 * registration, and `pulumi up` stops there with the message.
 */
export function restoreOutcomeRecord(
  name: string,
  args: { restore: k8s.apiextensions.CustomResource; namespace: pulumi.Input<string>; acceptPartialFailure: boolean },
  opts: pulumi.CustomResourceOptions,
): k8s.core.v1.ConfigMap {
  const checked = checkedOutcome(args.restore as unknown as LiveRestore, args.acceptPartialFailure);
  return new k8s.core.v1.ConfigMap(
    name,
    { metadata: { name: "velero-restore-outcome", namespace: args.namespace, labels: { [managedByLabel.key]: managedByLabel.value } }, data: checked },
    { ...opts, dependsOn: [args.restore] },
  );
}
