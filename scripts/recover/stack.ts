/**
 * The stack operations the recover command needs, as an interface: the real implementation drives the Pulumi CLI
 * through the Automation API (automationStack below), the tests use a fake. Nothing here decides anything; the steps
 * and the safety checks are in steps.ts.
 */
import { EngineEvent, LocalWorkspace, OpType, Stack, StepEventMetadata } from "@pulumi/pulumi/automation";
import { configNamespace } from "../../config";

/** One resource step of a preview, update or refresh. */
export interface ResourceChange {
  urn: string;
  type: string;
  /** The engine's operation; for a refresh, "delete" when the resource no longer exists. */
  op: OpType;
  /** Protected before or after the step. */
  protect: boolean;
}

/** What an operation did or would do. */
export interface OperationResult {
  /** Every resource step that is not "same". */
  changes: ResourceChange[];
}

/** A resource in the stack's state. */
export interface StateResource {
  urn: string;
  type: string;
  /** A cloud or Kubernetes resource (true) or a component (false). */
  custom: boolean;
  protect: boolean;
  /** URN of the resource's provider, if the state names one. */
  provider?: string;
}

/** The `restore` config section, as the program reads it (see config/backup.ts). */
export type RestoreSetting = ({ backupName: string } | { scheduleName: string }) & {
  /** Read the backups from their copy in the replica region (the primary region is down). */
  fromReplica?: boolean;
  /** Let a PartiallyFailed restore go on (the operator decided so after reading Velero's errors). */
  acceptPartialFailure?: boolean;
};

/** Which resources a refresh reads: all, or only the URNs in `targets` (`pulumi refresh --target`). */
export interface RefreshScope {
  targets?: string[];
}

/** The stack operations of the recovery, on one stack. */
export interface StackOperations {
  /** The stack's name, for messages. */
  readonly name: string;
  /** What `pulumi refresh` would change in the state, without writing it; `targets`: only these URNs. */
  previewRefresh(scope?: RefreshScope): Promise<OperationResult>;
  /** `pulumi refresh`: the state learns which resources are gone (the cluster and everything on it). */
  refresh(scope?: RefreshScope): Promise<OperationResult>;
  /** `pulumi preview`; with `refreshFirst`, on a refreshed copy of the state (nothing is written). */
  preview(options?: { refreshFirst?: boolean }): Promise<OperationResult>;
  /** `pulumi up`. */
  up(): Promise<OperationResult>;
  /** The resources in the stack's state (from `pulumi stack export`). */
  stateResources(): Promise<StateResource[]>;
  /** The stack's `restore` config, if set. */
  getRestore(): Promise<RestoreSetting | undefined>;
  setRestore(restore: RestoreSetting): Promise<void>;
  removeRestore(): Promise<void>;
  /** The stack's `cloud` config value (gcp, aws, azure, existing). */
  getCloud(): Promise<string>;
  /** Turns `backup.failover` on: the stack runs from its replica region (region loss). */
  setFailover(): Promise<void>;
}

const restoreKey = `${configNamespace}:restore`;

/**
 * Turns the engine's events of one operation into its resource steps (pure). A preview or update announces each
 * step (resourcePreEvent). A refresh reports each outcome once the resource has been read (resOutputsEvent): a
 * resource without new state is gone ("delete"), one whose state differs is "update", the rest are left out.
 */
export function changesFromEvents(events: EngineEvent[], kind: "refresh" | "update"): ResourceChange[] {
  const byUrn = new Map<string, ResourceChange>();
  for (const event of events) {
    const metadata: StepEventMetadata | undefined = kind === "refresh" ? event.resOutputsEvent?.metadata : event.resourcePreEvent?.metadata;
    if (!metadata || metadata.type === "pulumi:pulumi:Stack") continue;
    let op: OpType = metadata.op;
    if (kind === "refresh" && op === "refresh") {
      if (!metadata.new) op = "delete";
      else if ((metadata.diffs ?? []).length > 0) op = "update";
      else continue;
    }
    if (op === "same") continue;
    byUrn.set(metadata.urn, { urn: metadata.urn, type: metadata.type, op, protect: Boolean(metadata.old?.protect || metadata.new?.protect) });
  }
  return [...byUrn.values()];
}

/** The resources of an exported deployment (`pulumi stack export`), without those pending deletion (pure). */
export function resourcesFromDeployment(deployment: { deployment?: { resources?: unknown[] } }): StateResource[] {
  const resources = (deployment.deployment?.resources ?? []) as Array<Record<string, unknown>>;
  return resources
    .filter((r) => r.delete !== true)
    .map((r) => ({
      urn: String(r.urn),
      type: String(r.type),
      custom: r.custom === true,
      protect: r.protect === true,
      // A provider reference is the provider's URN, "::", and its id.
      ...(typeof r.provider === "string" ? { provider: r.provider.slice(0, r.provider.lastIndexOf("::")) } : {}),
    }));
}

/** The real stack, selected in the project directory with the Automation API; engine output goes to `onOutput`. */
export async function automationStack(stackName: string, workDir: string, onOutput: (text: string) => void): Promise<StackOperations> {
  const stack: Stack = await LocalWorkspace.selectStack({ stackName, workDir });
  const collect = async (kind: "refresh" | "update", run: (onEvent: (event: EngineEvent) => void) => Promise<unknown>): Promise<OperationResult> => {
    const events: EngineEvent[] = [];
    await run((event) => events.push(event));
    return { changes: changesFromEvents(events, kind) };
  };
  return {
    name: stackName,
    previewRefresh: (scope) => collect("refresh", (onEvent) => stack.previewRefresh({ onEvent, onOutput, color: "auto", target: scope?.targets })),
    refresh: (scope) => collect("refresh", (onEvent) => stack.refresh({ onEvent, onOutput, color: "auto", target: scope?.targets })),
    preview: (options) => collect("update", (onEvent) => stack.preview({ onEvent, onOutput, color: "auto", diff: false, refresh: options?.refreshFirst })),
    up: () => collect("update", (onEvent) => stack.up({ onEvent, onOutput, color: "auto" })),
    stateResources: async () => resourcesFromDeployment(await stack.exportStack()),
    async getRestore() {
      const all = await stack.getAllConfig();
      const value = all[restoreKey]?.value;
      return value ? (JSON.parse(value) as RestoreSetting) : undefined;
    },
    async setRestore(restore) {
      if ((await stack.getAllConfig())[restoreKey]) await stack.removeConfig(restoreKey);
      // One JSON value (the program parses config values that start with `{`): keeps the boolean a boolean.
      await stack.setConfig(restoreKey, { value: JSON.stringify(restore), secret: false });
    },
    async removeRestore() {
      if ((await stack.getAllConfig())[restoreKey]) await stack.removeConfig(restoreKey);
    },
    getCloud: async () => (await stack.getAllConfig())[`${configNamespace}:cloud`]?.value ?? "",
    // A path into the `backup` object, kept a boolean.
    setFailover: () => stack.setConfig(`${configNamespace}:backup.failover`, { value: "true", secret: false }, true),
  };
}
