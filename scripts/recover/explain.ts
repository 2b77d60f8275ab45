/**
 * The offline explanation of a recovery: without the Pulumi CLI, from the committed stack file and the offline plan
 * of the stack in restore mode, what `npm run recover` would do and which objects the Restore would bring back. It
 * reads neither the stack's state nor the cluster nor the bucket, and says so.
 */
import { parseStackConfig } from "../../config";
import { backupSelector, excludedFromBackup, excludedFromRestoreOnly } from "../../components/kubernetes/velero/objects";
import { Plan, planStack, PlannedResource } from "../plan/run";
import { readStackFile } from "../plan/stackFile";
import { failoverDifference, failoverLines } from "./failoverPlan";
import { renderObjectives } from "./objectives";
import { regionLossLines } from "./regionLoss";
import { recoveryOverrides, RecoverySource, restoreSettingFor } from "./settings";
import { plannedSteps } from "./steps";

function objectName(resource: PlannedResource): string {
  const metadata = resource.inputs.metadata as { name?: string; namespace?: string } | undefined;
  const kind = resource.type.split(":").pop();
  return `${kind} ${metadata?.namespace ? `${metadata.namespace}/` : ""}${metadata?.name ?? resource.name}`;
}

/** The default backup location's bucket and region, as the plan declares it. */
function locationOf(plan: Plan): string {
  const location = plan.resources.find((r) => r.type === "kubernetes:velero.io/v1:BackupStorageLocation");
  const spec = location?.inputs.spec as { objectStorage?: { bucket?: string }; config?: Record<string, string> } | undefined;
  const where = spec?.config?.region ?? spec?.config?.storageAccount;
  return `\`default\` (bucket ${spec?.objectStorage?.bucket ?? "?"}${where ? `, ${where}` : ""})`;
}

/** Whether a resource depends on urn, directly or through its dependencies: what orders it in the engine. */
export function dependsOn(plan: Plan, resource: PlannedResource, urn: string): boolean {
  const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
  const seen = new Set<string>();
  const pending = [...resource.dependencies];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (next === urn) return true;
    if (!seen.has(next)) {
      seen.add(next);
      pending.push(...(byUrn.get(next)?.dependencies ?? []));
    }
  }
  return false;
}

/** Plans a committed stack, with config overrides or without; the tests pass one that shares the plans of a jest run. */
export type StackPlanner = (stack: string, configOverrides?: Record<string, string>) => Promise<Plan>;

const planOffline: StackPlanner = (stack, configOverrides) => planStack(stack, { configOverrides });

/** The explanation, as lines. Plans the stack offline (a few seconds). */
export async function explainRecovery(stack: string, source: RecoverySource, planner: StackPlanner = planOffline): Promise<string[]> {
  const values = readStackFile(stack).values;
  const config = parseStackConfig(values);
  const lines = [
    `EXPLANATION of the recovery of stack ${stack}${source.regionLoss ? " after losing its region" : ""}: offline, from Pulumi.${stack}.yaml and the`,
    "offline plan. Nothing was read from the stack's state, the cloud, the cluster or the backups, and nothing was changed.",
    "",
    "What `npm run recover -- --execute` would do:",
    ...plannedSteps(stack, restoreSettingFor(source), source.regionLoss).map((text, index) => `  ${index + 1}. ${text}`),
  ];
  if (source.regionLoss) lines.push("", `Manual steps on ${config.cloud} (the command lists them and asks before the rebuild):`, ...regionLossLines(config.cloud).map((l) => `  ${l}`));

  const plan = await planner(stack, recoveryOverrides(values, source));
  if (source.regionLoss && config.backup.replicaRegion !== undefined) {
    lines.push("", ...failoverLines(failoverDifference(await planner(stack), plan), config.backup.replicaRegion));
  }
  const restore = plan.resources.find((r) => r.type === "kubernetes:velero.io/v1:Restore");
  if (!restore) return [...lines, "", "This stack has no Velero (no backup target), so there is nothing to restore."];
  const spec = restore.inputs.spec as { includedNamespaces: string[]; backupName?: string; scheduleName?: string };
  const replica = plan.resources.some((r) => r.type === "kubernetes:velero.io/v1:BackupStorageLocation" && (r.inputs.metadata as { name: string }).name === "replica");
  const issuers = plan.resources.filter((r) => r.type === "kubernetes:cert-manager.io/v1:ClusterIssuer");
  const accountKeys = issuers.map((i) => (i.inputs.spec as { acme?: { privateKeySecretRef: { name: string } } }).acme?.privateKeySecretRef.name).filter(Boolean);
  const pulumiInRestored = plan.resources.filter((r) => r.custom && spec.includedNamespaces.includes((r.inputs.metadata as { namespace?: string } | undefined)?.namespace ?? ""));
  const after = plan.resources.filter((r) => r.custom && r !== restore && r.type.startsWith("kubernetes:") && dependsOn(plan, r, restore.urn));
  lines.push(
    "",
    `The Restore ${(restore.inputs.metadata as { name: string }).name} (velero namespace), from ${spec.backupName ? `backup ${spec.backupName}` : `the newest completed backup of schedule ${spec.scheduleName}`}` +
      `${replica ? ", read through the read-only location `replica` in the replica region" : source.regionLoss ? `, read through the location ${locationOf(plan)}` : ""}:`,
    `  namespaces: ${spec.includedNamespaces.join(", ")}`,
    `  brings back: every object there that Pulumi does not declare, e.g. the TLS Secret https-certificates` +
      `${accountKeys.length ? `, the ACME account keys in cert-manager (${accountKeys.join(", ")})` : ""}, Gitpod's Helm release and the objects it rendered` +
      ", and persistent volume data per the volume policy (" + (config.velero.volumeBackup === "snapshot" ? "the cloud's disk snapshots" : "kopia file-system backup") + "; hostPath volumes are skipped)",
    `  leaves out, by label: ${backupSelector.matchExpressions.map((r) => `${r.key} ${r.operator} (${r.values.join(", ")})`).join(" and ")}`,
    `  leaves out, by resource: ${[...excludedFromBackup, ...excludedFromRestoreOnly].join(", ")}`,
    "  order: Velero's default list with resourcequotas before pods (GKE's quota on critical PriorityClasses); objects that exist are left as they are",
    "",
    `Pulumi's own objects in those namespaces, recreated by Pulumi and never restored (${pulumiInRestored.length}):`,
    ...pulumiInRestored.map((r) => `  ${objectName(r)}`),
    "",
    "Created by Pulumi only after the Restore ended and its outcome was accepted:",
    ...after.map((r) => `  ${objectName(r)}`),
    "",
    ...renderObjectives(config),
  );
  return lines;
}
