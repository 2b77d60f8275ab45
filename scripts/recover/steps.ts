/**
 * The disaster-recovery sequence on a stack whose cluster is lost, as plain logic over StackOperations:
 *
 *   1. preview the refresh, and stop if any data or protected resource is gone (that is not a cluster loss);
 *   2. refresh, so the state forgets the lost cluster and everything that ran on it; stop if the state lost a data or
 *      protected resource it held before (read from `pulumi stack export`, which does not depend on engine events);
 *   3. set `restore` (the backup, or the newest backup of the `gitpod` schedule);
 *   4. preview, and stop if any data or protected resource would be replaced or deleted;
 *   5. up: a new cluster, Velero, the Restore (awaited), then the Certificate and Gitpod;
 *   6. unset `restore`, preview again with the same check, and up: the backup location is read-write again.
 *
 * Dry-run (the default) runs only the previews (1, and 4 on a refreshed copy of the state without `restore`, which
 * changes Kubernetes objects only; there a data resource of the state that would be created anew is gone) and shows the
 * steps and the replacements and deletions. See docs/disaster-recovery.md.
 *
 * A region loss differs in two places: the refresh reads only the Kubernetes layer's objects (on the lost cluster; the lost
 * region's cloud resources stay in the state as they are, and `backup.failover` builds the replica site beside them
 * without touching them), and after the operator confirms the manual steps, `backup.failover` is set before `restore`.
 * Its dry run stops after the refresh preview: the rebuild's preview needs `backup.failover` set on the stack, so the
 * offline explanation (`--explain`) shows what the failover builds instead.
 */
import { mustSurviveRebuild } from "../../components/dataResources";
import { kubernetesLayerProviderName } from "../../providers/kubernetesLayerName";
import { regionLossLines } from "./regionLoss";
import { restoreSettingFor, RecoverySource } from "./settings";
import { OperationResult, RefreshScope, ResourceChange, RestoreSetting, StackOperations, StateResource } from "./stack";

export { restoreSettingFor } from "./settings";

export interface RecoverOptions extends RecoverySource {
  /** Really change the stack; otherwise only preview. */
  execute: boolean;
}

/** Where the recovery's progress goes (the terminal in the CLI, a recorder in tests). */
export interface Reporter {
  step(text: string): void;
  info(text: string): void;
  warn(text: string): void;
  /** A yes/no decision of the operator; false when nobody can answer (no terminal). */
  ask(question: string): Promise<boolean>;
}

export type RecoverOutcome =
  | { status: "planned"; changes: ResourceChange[] }
  | { status: "recovered"; changes: ResourceChange[] }
  | { status: "refused"; reason: string; offending: ResourceChange[] }
  | { status: "failed"; step: string; error: string; restoreLeftSet: boolean };

/** Operations that take a resource away: a replacement deletes the old one. */
const destructive = new Set(["delete", "replace", "create-replacement", "delete-replaced", "discard", "discard-replaced", "import-replacement"]);

/** The steps that would destroy a data or protected resource. */
export function endangeredData(changes: ResourceChange[]): ResourceChange[] {
  return changes.filter((change) => destructive.has(change.op) && mustSurviveRebuild(change));
}

/**
 * What the refresh of a region loss reads: only the Kubernetes layer's objects, which its provider's deleteUnreachable
 * drops from the state when their cluster is gone; the rebuild creates them on the replica site's cluster. A refresh of
 * the cloud resources would call the lost region, and the objects of the lost site's own providers (AWS's cluster
 * add-ons) stay declared on the lost cluster, unchanged: dropped from the state, they would be created there again.
 */
export function regionLossRefreshScope(state: StateResource[], stack: string): RefreshScope {
  const layerProvider = `::pulumi:providers:kubernetes::${kubernetesLayerProviderName(stack)}`;
  return { targets: state.filter((r) => r.custom && r.type.startsWith("kubernetes:") && r.provider?.endsWith(layerProvider)).map((r) => r.urn) };
}

/** The steps, for the dry-run listing. */
export function plannedSteps(stack: string, restore: RestoreSetting, regionLoss = false): string[] {
  const source =
    ("backupName" in restore ? `backup ${restore.backupName}` : `the newest backup of schedule ${restore.scheduleName}`) +
    (restore.fromReplica || regionLoss ? ", read from the replica region" : "");
  return [
    regionLoss
      ? `refresh only the Kubernetes layer's objects of ${stack}: the state forgets what ran on the lost cluster; nothing in the lost region is read or changed`
      : `refresh ${stack}: the state forgets the lost cluster and what ran on it (refused if a data resource is gone)`,
    ...(regionLoss
      ? ["set backup.failover: true (the manual steps below come first): the replica site is built in backup.replicaRegion beside the lost region's resources, which stay as they are"]
      : []),
    `set restore: ${JSON.stringify(restore)} (${source})`,
    "preview (refused if a data or protected resource would be replaced or deleted)",
    "up: new cluster, Velero with a read-only backup location, the Restore (waited for until it ends), its outcome checked " +
      "(PartiallyFailed: you are asked whether to accept it), then the certificate and Gitpod",
    "unset restore",
    "preview (same check)",
    "up: the backup location read-write again, the schedule resumed",
  ];
}

function describe(change: ResourceChange): string {
  return `${change.op.padEnd(16)} ${change.type} ${change.urn.split("::").pop()}${change.protect ? " [protected]" : ""}`;
}

/** Replacements and deletions first, then the rest, one line each. */
function listChanges(report: Reporter, title: string, changes: ResourceChange[], regionLoss = false): void {
  const removals = changes.filter((c) => destructive.has(c.op));
  const creates = changes.filter((c) => c.op === "create");
  const others = changes.filter((c) => !destructive.has(c.op) && c.op !== "create");
  report.info(`${title}: ${removals.length} replaced or deleted, ${creates.length} created, ${others.length} other`);
  for (const change of removals) report.info(`  ${describe(change)}`);
  const newData = creates.filter((c) => mustSurviveRebuild(c));
  for (const change of newData) {
    if (regionLoss) report.info(`  the replica site's copy of a data resource: ${describe(change)} (restored, promoted or replicated from the lost region's)`);
    else report.warn(`a new, empty data resource would be created: ${describe(change)} (is the old one gone?)`);
  }
}

function refusal(reason: string, offending: ResourceChange[], report: Reporter): RecoverOutcome {
  report.warn(`REFUSED: ${reason}`);
  for (const change of offending) report.warn(`  ${describe(change)}`);
  return { status: "refused", reason, offending };
}

/** Runs the recovery (or, without `execute`, its dry run) and reports each step. Never throws for a failed step. */
export async function recover(stack: StackOperations, options: RecoverOptions, report: Reporter): Promise<RecoverOutcome> {
  const restore = restoreSettingFor(options);
  report.step(`${options.execute ? "Recovering" : "Dry run of the recovery of"} stack ${stack.name}`);
  plannedSteps(stack.name, restore, options.regionLoss).forEach((text, index) => report.info(`  ${index + 1}. ${text}`));
  if (options.regionLoss) {
    report.step("Region loss: steps the program cannot do for you");
    for (const line of regionLossLines(await stack.getCloud())) report.info(`  ${line}`);
  }
  const previous = await stack.getRestore();
  if (previous) report.warn(`restore is already set to ${JSON.stringify(previous)} (an earlier recovery did not finish); it will be ${JSON.stringify(restore)}`);

  let current = "read state";
  let restoreSet = previous !== undefined;
  try {
    // What must survive: the data and protected resources the state holds now.
    const kept = (await stack.stateResources()).filter((r) => r.custom && mustSurviveRebuild(r));
    const keptUrns = new Set(kept.map((r) => r.urn));
    const goneRefusal = (gone: ResourceChange[]) =>
      refusal("data or protected resources no longer exist: this is more than a lost cluster. Recover them first (docs/disaster-recovery.md)", gone, report);

    const scope = options.regionLoss ? regionLossRefreshScope(await stack.stateResources(), stack.name) : undefined;
    current = "preview refresh";
    report.step(options.regionLoss ? "Previewing the refresh of the Kubernetes layer's objects" : "Previewing the refresh");
    const refreshed = await stack.previewRefresh(scope);
    listChanges(report, "refresh would change", refreshed.changes);
    const gone = refreshed.changes.filter((c) => c.op === "delete" && (keptUrns.has(c.urn) || mustSurviveRebuild(c)));
    if (gone.length > 0) return goneRefusal(gone);

    if (!refreshed.changes.some((c) => c.op === "delete")) {
      report.warn("the refresh finds nothing gone: the cluster looks alive. A restore into it brings back only objects that are missing (existing ones are left as they are).");
    }

    if (!options.execute && options.regionLoss) {
      report.step(
        `Dry run complete: nothing was changed. The rebuild's preview needs backup.failover set on the stack; what the failover builds is explained offline by \`npm run recover -- --stack ${stack.name} --region-loss --explain\`. Run again with --execute to recover.`,
      );
      return { status: "planned", changes: refreshed.changes };
    }

    if (!options.execute) {
      current = "preview";
      report.step("Previewing the rebuild on a refreshed copy of the state (restore mode only adds the Restore and sets the location read-only)");
      const preview = await stack.preview({ refreshFirst: true });
      listChanges(report, "up would change", preview.changes);
      // A data resource the state holds that the rebuild creates anew is gone from the cloud.
      const recreated = preview.changes.filter((c) => c.op === "create" && keptUrns.has(c.urn));
      if (recreated.length > 0) return goneRefusal(recreated);
      const endangered = endangeredData(preview.changes);
      if (endangered.length > 0) return refusal("the rebuild would replace or delete data or protected resources", endangered, report);
      report.step("Dry run complete: nothing was changed. Run again with --execute to recover.");
      return { status: "planned", changes: preview.changes };
    }

    current = "refresh";
    report.step(options.regionLoss ? "Refreshing the Kubernetes layer's objects: the state forgets the lost cluster's" : "Refreshing: the state forgets the lost cluster");
    await stack.refresh(scope);
    const afterRefresh = new Set((await stack.stateResources()).map((r) => r.urn));
    const lost = kept.filter((r) => !afterRefresh.has(r.urn));
    if (lost.length > 0) return goneRefusal(lost.map((r) => ({ urn: r.urn, type: r.type, op: "delete", protect: r.protect })));

    if (options.regionLoss) {
      if (!(await report.ask("Are the steps marked [before the rebuild] above done (database, object storage, identities)?"))) {
        return refusal("region loss: the steps before the rebuild are not confirmed as done; nothing was changed beyond the refresh", [], report);
      }
      current = "set failover";
      report.step("Setting backup.failover = true");
      await stack.setFailover();
    }

    current = "set restore";
    report.step(`Setting restore = ${JSON.stringify(restore)}`);
    await stack.setRestore(restore);
    restoreSet = true;

    current = "preview (restore)";
    report.step("Previewing the rebuild with restore");
    const restorePreview = await stack.preview();
    listChanges(report, "up would change", restorePreview.changes, options.regionLoss);
    const endangered = endangeredData(restorePreview.changes);
    if (endangered.length > 0) {
      await stack.removeRestore();
      if (previous) await stack.setRestore(previous);
      restoreSet = previous !== undefined;
      return refusal("the rebuild would replace or delete data or protected resources; restore config put back as it was", endangered, report);
    }

    current = "up (restore)";
    report.step("Rebuilding: cluster, Velero, Restore (waiting for it to end), certificate, Gitpod");
    const restored = await upDecidingOnPartialFailure(stack, restore, report);
    if (!restored) {
      return { status: "failed", step: current, error: "the restore ended PartiallyFailed and was not accepted", restoreLeftSet: true };
    }

    current = "unset restore";
    report.step("Unsetting restore");
    await stack.removeRestore();
    restoreSet = false;

    current = "preview (final)";
    report.step("Previewing the return to normal operation");
    const finalPreview = await stack.preview();
    listChanges(report, "up would change", finalPreview.changes);
    const endangeredFinal = endangeredData(finalPreview.changes);
    if (endangeredFinal.length > 0) return refusal("the final update would replace or delete data or protected resources", endangeredFinal, report);

    current = "up (final)";
    report.step("Updating: backup location read-write, schedule resumed");
    const final = await stack.up();
    report.step(`Recovered stack ${stack.name}: ${restored.changes.length + final.changes.length} resource steps applied`);
    return { status: "recovered", changes: [...restored.changes, ...final.changes] };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    report.warn(`FAILED at "${current}": ${firstLines(error)}`);
    if (restoreSet) {
      report.warn(
        "restore is still set on the stack. Find the cause (kubectl -n velero get restores; velero restore describe <name> --details), " +
          "then run the command again, or continue by hand with `pulumi up` (docs/disaster-recovery.md).",
      );
    }
    return { status: "failed", step: current, error, restoreLeftSet: restoreSet };
  }
}

/**
 * The rebuild; when the Restore ended PartiallyFailed (restoreOutcome.ts stops the update with that message), the
 * operator decides: accept it (restore.acceptPartialFailure, and the update runs again) or stop with restore set.
 */
async function upDecidingOnPartialFailure(stack: StackOperations, restore: RestoreSetting, report: Reporter): Promise<OperationResult | undefined> {
  try {
    return await stack.up();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const partial = /Velero restore (\S+) did not complete \(phase PartiallyFailed[^)]*\)/.exec(message);
    if (!partial) throw err;
    report.warn(partial[0]);
    report.info(`  Velero's errors: velero restore describe ${partial[1]} --details (and velero restore logs ${partial[1]})`);
    const accept = await report.ask("Accept the partially failed restore and go on to the certificate and Gitpod?");
    if (!accept) {
      report.warn("Not accepted: restore stays set. Pick another backup (--backup <name>) or fix the cause, then run the command again.");
      return undefined;
    }
    await stack.setRestore({ ...restore, acceptPartialFailure: true });
    report.step("Accepted (restore.acceptPartialFailure = true): rebuilding on");
    return await stack.up();
  }
}

function firstLines(text: string, lines = 20): string {
  return text.split("\n").slice(0, lines).join("\n");
}

/** The exit code of the CLI for an outcome: 0 planned or recovered, 2 refused, 1 failed. */
export function exitCode(outcome: RecoverOutcome): number {
  return outcome.status === "refused" ? 2 : outcome.status === "failed" ? 1 : 0;
}

export type { OperationResult };
