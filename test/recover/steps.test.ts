/**
 * The recover command's step logic against a fake stack: order of the steps, dry run, refusals, restore config set and
 * unset, failure handling; the engine-event parsing of the real implementation; the CLI's arguments.
 */
import * as automation from "@pulumi/pulumi/automation";
import { EngineEvent } from "@pulumi/pulumi/automation";
import { parseRecoverArgs } from "../../scripts/recover";
import {
  automationStack,
  changesFromEvents,
  OperationResult,
  RefreshScope,
  ResourceChange,
  resourcesFromDeployment,
  RestoreSetting,
  StackOperations,
  StateResource,
} from "../../scripts/recover/stack";
import { endangeredData, exitCode, recover, Reporter } from "../../scripts/recover/steps";

const urn = (type: string, name: string) => `urn:pulumi:prod::gitpod-platform::${type}::${name}`;
const change = (op: ResourceChange["op"], type: string, name: string, protect = false): ResourceChange => ({ urn: urn(type, name), type, op, protect });

const cluster = change("create", "gcp:container/cluster:Cluster", "prod-cluster");
const restoreObject = change("create", "kubernetes:velero.io/v1:Restore", "prod-velero-restore");
const locationUpdate = change("update", "kubernetes:velero.io/v1:BackupStorageLocation", "prod-velero-backup-location");
const clusterGone = change("delete", "gcp:container/cluster:Cluster", "prod-cluster");
const deploymentGone = change("delete", "kubernetes:core/v1:Namespace", "prod-gitpod-namespace");

type Script = Partial<Record<"previewRefresh" | "refresh" | "preview" | "up", Array<OperationResult | Error>>>;

const database: StateResource = { urn: urn("gcp:sql/databaseInstance:DatabaseInstance", "prod-database"), type: "gcp:sql/databaseInstance:DatabaseInstance", custom: true, protect: true };
const clusterState: StateResource = { urn: cluster.urn, type: cluster.type, custom: true, protect: false };
const layerProvider = urn("pulumi:providers:kubernetes", "prod-kubernetes");
const namespaceState: StateResource = { urn: deploymentGone.urn, type: deploymentGone.type, custom: true, protect: false, provider: layerProvider };
// An object of the lost site's own Kubernetes provider (AWS's cluster add-ons), declared unchanged in the failover.
const addonState: StateResource = {
  urn: urn("kubernetes:helm.sh/v3:Release", "prod-cluster-calico"),
  type: "kubernetes:helm.sh/v3:Release",
  custom: true,
  protect: false,
  provider: urn("pulumi:providers:kubernetes", "prod-cluster-addons"),
};

/**
 * A stack that records every call and answers from a script (one entry per call, in order). Its state starts with a
 * protected database and the cluster; a refresh removes from the state what its answer reports deleted.
 */
class FakeStack implements StackOperations {
  readonly name = "prod";
  readonly calls: string[] = [];
  restore: RestoreSetting | undefined;
  state: StateResource[] = [database, clusterState];
  constructor(
    private readonly script: Script,
    restore?: RestoreSetting,
  ) {
    this.restore = restore;
  }
  async stateResources() {
    return [...this.state];
  }
  private answer(op: keyof Script, label: string = op): Promise<OperationResult> {
    this.calls.push(label);
    const next = this.script[op]?.shift() ?? { changes: [] };
    return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
  }
  /** The URNs a targeted refresh read, per call. */
  readonly refreshTargets: Array<string[] | undefined> = [];
  previewRefresh(scope?: RefreshScope) {
    this.refreshTargets.push(scope?.targets);
    return this.answer("previewRefresh");
  }
  async refresh(scope?: RefreshScope) {
    this.refreshTargets.push(scope?.targets);
    const result = await this.answer("refresh");
    const deleted = new Set(result.changes.filter((c) => c.op === "delete").map((c) => c.urn));
    this.state = this.state.filter((r) => !deleted.has(r.urn));
    return result;
  }
  preview(options?: { refreshFirst?: boolean }) {
    return this.answer("preview", `preview${options?.refreshFirst ? "(refreshFirst)" : ""}${this.restore ? ` with restore=${JSON.stringify(this.restore)}` : ""}`);
  }
  up() {
    return this.answer("up", `up${this.restore ? ` with restore=${JSON.stringify(this.restore)}` : ""}`);
  }
  async getRestore() {
    return this.restore;
  }
  async setRestore(restore: RestoreSetting) {
    this.calls.push(`set restore ${JSON.stringify(restore)}`);
    this.restore = restore;
  }
  async removeRestore() {
    this.calls.push("remove restore");
    this.restore = undefined;
  }
  failover = false;
  cloud = "gcp";
  async getCloud() {
    return this.cloud;
  }
  async setFailover() {
    this.calls.push("set failover");
    this.failover = true;
  }
}

class Recorder implements Reporter {
  readonly lines: string[] = [];
  /** The operator's answers, in order; a question without one is answered no. */
  constructor(private readonly answers: boolean[] = []) {}
  async ask(question: string) {
    const answer = this.answers.shift() ?? false;
    this.lines.push(`ASK ${question} -> ${answer ? "yes" : "no"}`);
    return answer;
  }
  step(text: string) {
    this.lines.push(`STEP ${text}`);
  }
  info(text: string) {
    this.lines.push(text);
  }
  warn(text: string) {
    this.lines.push(`WARN ${text}`);
  }
  get text() {
    return this.lines.join("\n");
  }
}

const lostCluster: Script = {
  previewRefresh: [{ changes: [clusterGone, deploymentGone] }],
  refresh: [{ changes: [clusterGone, deploymentGone] }],
  preview: [{ changes: [cluster, restoreObject] }, { changes: [locationUpdate] }],
  up: [{ changes: [cluster, restoreObject] }, { changes: [locationUpdate] }],
};

describe("dry run (the default)", () => {
  test("only previews: no refresh, no config change, no up; lists the steps and what would change", async () => {
    const stack = new FakeStack({
      previewRefresh: [{ changes: [clusterGone] }],
      preview: [{ changes: [cluster, change("replace", "kubernetes:core/v1:Namespace", "prod-velero-namespace")] }],
    });
    const report = new Recorder();
    const outcome = await recover(stack, { execute: false }, report);
    expect(outcome.status).toBe("planned");
    expect(exitCode(outcome)).toBe(0);
    expect(stack.calls).toEqual(["previewRefresh", "preview(refreshFirst)"]);
    expect(stack.restore).toBeUndefined();
    expect(report.text).toContain('set restore: {"scheduleName":"gitpod"}');
    expect(report.text).toMatch(/replace\s+kubernetes:core\/v1:Namespace prod-velero-namespace/);
    expect(report.text).toContain("1 replaced or deleted, 1 created, 0 other");
    expect(report.text).toContain("Dry run complete: nothing was changed");
  });

  test("refuses when the rebuild would replace a protected resource or a data resource", async () => {
    for (const danger of [
      change("replace", "gcp:sql/databaseInstance:DatabaseInstance", "prod-database"),
      change("delete", "random:index/randomPassword:RandomPassword", "prod-velero-repository-password", true),
      change("delete-replaced", "aws:s3/bucket:Bucket", "aws-prod-backup-bucket"),
    ]) {
      const stack = new FakeStack({ preview: [{ changes: [cluster, danger] }] });
      const report = new Recorder();
      const outcome = await recover(stack, { execute: false }, report);
      expect(outcome).toMatchObject({ status: "refused", offending: [danger] });
      expect(exitCode(outcome)).toBe(2);
      expect(report.text).toContain("WARN REFUSED");
      expect(report.text).toContain(danger.urn.split("::").pop());
    }
  });
});

describe("execute", () => {
  test("refresh, set restore, preview, up, unset restore, preview, up: in this order", async () => {
    const stack = new FakeStack(structuredClone(lostCluster));
    const report = new Recorder();
    const outcome = await recover(stack, { execute: true }, report);
    expect(outcome.status).toBe("recovered");
    expect(exitCode(outcome)).toBe(0);
    expect(stack.calls).toEqual([
      "previewRefresh",
      "refresh",
      'set restore {"scheduleName":"gitpod"}',
      'preview with restore={"scheduleName":"gitpod"}',
      'up with restore={"scheduleName":"gitpod"}',
      "remove restore",
      "preview",
      "up",
    ]);
    expect(stack.restore).toBeUndefined();
    expect(report.text).toContain("STEP Recovered stack prod");
  });

  test("--from-replica sets restore.fromReplica with the source", async () => {
    const stack = new FakeStack(structuredClone(lostCluster));
    const report = new Recorder();
    await recover(stack, { execute: true, fromReplica: true }, report);
    expect(stack.calls).toContain('set restore {"scheduleName":"gitpod","fromReplica":true}');
    expect(report.text).toContain("read from the replica region");
  });

  test("--backup restores that backup", async () => {
    const stack = new FakeStack(structuredClone(lostCluster));
    await recover(stack, { execute: true, backupName: "gitpod-20260101000000" }, new Recorder());
    expect(stack.calls).toContain('set restore {"backupName":"gitpod-20260101000000"}');
    expect(stack.calls).toContain('up with restore={"backupName":"gitpod-20260101000000"}');
  });

  test("refuses before any change when a data resource is gone from the cloud (more than a lost cluster)", async () => {
    const stack = new FakeStack({ previewRefresh: [{ changes: [clusterGone, change("delete", "azure-native:dbformysql:Server", "azure-prod-database")] }] });
    const report = new Recorder();
    const outcome = await recover(stack, { execute: true }, report);
    expect(outcome).toMatchObject({ status: "refused" });
    expect(stack.calls).toEqual(["previewRefresh"]);
    expect(report.text).toContain("more than a lost cluster");
  });

  test("refuses right after the refresh when it dropped a data resource from the state (an event the preview missed)", async () => {
    const dbGone = change("delete", database.type, "prod-database", true);
    const stack = new FakeStack({ previewRefresh: [{ changes: [clusterGone] }], refresh: [{ changes: [clusterGone, dbGone] }] });
    const report = new Recorder();
    const outcome = await recover(stack, { execute: true }, report);
    expect(outcome).toMatchObject({ status: "refused", offending: [{ urn: database.urn, op: "delete", protect: true }] });
    expect(stack.calls).toEqual(["previewRefresh", "refresh"]);
    expect(stack.restore).toBeUndefined();
    expect(report.text).toContain("more than a lost cluster");
  });

  test("refuses after the restore preview, puts the restore config back as it was, and does not update", async () => {
    const danger = change("replace", "gcp:dns/managedZone:ManagedZone", "prod-zone", true);
    const stack = new FakeStack({ ...structuredClone(lostCluster), preview: [{ changes: [cluster, danger] }] });
    const outcome = await recover(stack, { execute: true }, new Recorder());
    expect(outcome).toMatchObject({ status: "refused", offending: [danger] });
    expect(stack.calls).not.toContain("up");
    expect(stack.calls.some((c) => c.startsWith("up"))).toBe(false);
    expect(stack.restore).toBeUndefined();
  });

  test("a failed rebuild (e.g. the Restore did not complete) leaves restore set and says how to go on", async () => {
    const stack = new FakeStack({ ...structuredClone(lostCluster), up: [new Error("timed out waiting for jsonpath={.status.phase}=Completed")] });
    const report = new Recorder();
    const outcome = await recover(stack, { execute: true }, report);
    expect(outcome).toMatchObject({ status: "failed", step: "up (restore)", restoreLeftSet: true });
    expect(exitCode(outcome)).toBe(1);
    expect(stack.restore).toEqual({ scheduleName: "gitpod" });
    expect(stack.calls[stack.calls.length - 1]).toBe('up with restore={"scheduleName":"gitpod"}');
    expect(report.text).toContain('FAILED at "up (restore)": timed out waiting for jsonpath={.status.phase}=Completed');
    expect(report.text).toContain("restore is still set on the stack");
  });

  test("a PartiallyFailed restore asks for a decision: accepted, restore.acceptPartialFailure is set and the rebuild goes on", async () => {
    const partial = new Error("error: Velero restore restore-latest-gitpod did not complete (phase PartiallyFailed; 3 errors; 9 warnings). Velero's list of errors: ...");
    const stack = new FakeStack({ ...structuredClone(lostCluster), up: [partial, { changes: [cluster, restoreObject] }, { changes: [locationUpdate] }] });
    const report = new Recorder([true]);
    const outcome = await recover(stack, { execute: true }, report);
    expect(outcome.status).toBe("recovered");
    expect(stack.calls).toEqual([
      "previewRefresh",
      "refresh",
      'set restore {"scheduleName":"gitpod"}',
      'preview with restore={"scheduleName":"gitpod"}',
      'up with restore={"scheduleName":"gitpod"}',
      'set restore {"scheduleName":"gitpod","acceptPartialFailure":true}',
      'up with restore={"scheduleName":"gitpod","acceptPartialFailure":true}',
      "remove restore",
      "preview",
      "up",
    ]);
    expect(report.text).toContain("velero restore describe restore-latest-gitpod --details");
    expect(report.text).toContain("ASK Accept the partially failed restore and go on to the certificate and Gitpod? -> yes");
  });

  test("a PartiallyFailed restore that is not accepted stops with restore set; no timeout is waited out", async () => {
    const partial = new Error("Velero restore restore-latest-gitpod did not complete (phase PartiallyFailed; 3 errors; 9 warnings).");
    const stack = new FakeStack({ ...structuredClone(lostCluster), up: [partial] });
    const report = new Recorder([false]);
    const outcome = await recover(stack, { execute: true }, report);
    expect(outcome).toMatchObject({ status: "failed", step: "up (restore)", restoreLeftSet: true });
    expect(stack.restore).toEqual({ scheduleName: "gitpod" });
    expect(report.text).toContain("Not accepted: restore stays set");
  });

  test("region loss: refreshes only the Kubernetes objects, lists the manual steps, asks, sets failover, then rebuilds", async () => {
    const stack = new FakeStack(structuredClone(lostCluster));
    stack.state.push(namespaceState, addonState);
    stack.cloud = "aws";
    const report = new Recorder([true]);
    const outcome = await recover(stack, { execute: true, regionLoss: true }, report);
    expect(outcome.status).toBe("recovered");
    expect(stack.calls.slice(0, 4)).toEqual(["previewRefresh", "refresh", "set failover", 'set restore {"scheduleName":"gitpod"}']);
    // The database and the cluster are in the lost region: a refresh of them would call it; the add-on stays declared
    // on the lost cluster, so it must stay in the state too.
    expect(stack.refreshTargets).toEqual([[namespaceState.urn], [namespaceState.urn]]);
    expect(report.text).toContain("aws rds describe-db-instance-automated-backups");
    expect(report.text).toContain("set backup.failover: true");
    expect(report.text).toContain("refresh only the Kubernetes layer's objects of prod");
  });

  test("region loss without the operator's confirmation changes nothing beyond the refresh of the Kubernetes objects", async () => {
    const stack = new FakeStack(structuredClone(lostCluster));
    const outcome = await recover(stack, { execute: true, regionLoss: true }, new Recorder([false]));
    expect(outcome.status).toBe("refused");
    expect(stack.calls).toEqual(["previewRefresh", "refresh"]);
    expect(stack.failover).toBe(false);
  });

  test("region loss, dry run: previews the targeted refresh only and points at the offline explanation", async () => {
    const stack = new FakeStack(structuredClone(lostCluster));
    const report = new Recorder();
    const outcome = await recover(stack, { execute: false, regionLoss: true }, report);
    expect(outcome.status).toBe("planned");
    expect(stack.calls).toEqual(["previewRefresh"]);
    expect(stack.refreshTargets).toEqual([[]]);
    expect(report.text).toContain("--region-loss --explain");
  });

  test("region loss: the replica site's new data resources are expected, not warned about as empty", async () => {
    const restored = change("create", "aws:rds/instance:Instance", "prod-replica-database", true);
    const stack = new FakeStack({ ...structuredClone(lostCluster), preview: [{ changes: [restored, restoreObject] }, { changes: [locationUpdate] }] });
    const report = new Recorder([true]);
    expect((await recover(stack, { execute: true, regionLoss: true }, report)).status).toBe("recovered");
    expect(report.text).toContain("the replica site's copy of a data resource");
    expect(report.text).not.toContain("a new, empty data resource");
  });

  test("a failed final update is reported; restore is already unset then", async () => {
    const stack = new FakeStack({ ...structuredClone(lostCluster), up: [{ changes: [cluster] }, new Error("boom")] });
    const outcome = await recover(stack, { execute: true }, new Recorder());
    expect(outcome).toMatchObject({ status: "failed", step: "up (final)", restoreLeftSet: false });
    expect(stack.restore).toBeUndefined();
  });

  test("a restore left set by an interrupted run is reported and replaced", async () => {
    const stack = new FakeStack(structuredClone(lostCluster), { backupName: "old" });
    const report = new Recorder();
    await recover(stack, { execute: true }, report);
    expect(report.text).toContain('restore is already set to {"backupName":"old"}');
    expect(stack.calls).toContain('set restore {"scheduleName":"gitpod"}');
    expect(stack.restore).toBeUndefined();
  });
});

test("a cluster that is not gone is pointed out", async () => {
  const report = new Recorder();
  await recover(new FakeStack({ previewRefresh: [{ changes: [] }] }), { execute: false }, report);
  expect(report.text).toContain("WARN the refresh finds nothing gone: the cluster looks alive");
  const lost = new Recorder();
  await recover(new FakeStack(structuredClone(lostCluster)), { execute: false }, lost);
  expect(lost.text).not.toContain("looks alive");
});

test("the dry run refuses when the rebuild would create anew a data resource the state holds (it is gone)", async () => {
  const stack = new FakeStack({ preview: [{ changes: [cluster, change("create", database.type, "prod-database")] }] });
  const outcome = await recover(stack, { execute: false }, new Recorder());
  expect(outcome).toMatchObject({ status: "refused", offending: [{ urn: database.urn, op: "create" }] });
});

test("the state is read from the exported deployment, without resources pending deletion", () => {
  const deployment = {
    version: 3,
    deployment: {
      resources: [
        { urn: database.urn, type: database.type, custom: true, protect: true },
        { urn: "urn:x::old", type: "gcp:storage/bucket:Bucket", custom: true, delete: true },
        { urn: "urn:x::stack", type: "pulumi:pulumi:Stack" },
        { urn: namespaceState.urn, type: namespaceState.type, custom: true, provider: `${layerProvider}::04da6b54-80e4-46f7-96ec-b56ff0331ba9` },
      ],
    },
  };
  expect(resourcesFromDeployment(deployment)).toEqual([database, { urn: "urn:x::stack", type: "pulumi:pulumi:Stack", custom: false, protect: false }, namespaceState]);
  expect(resourcesFromDeployment({ version: 3, deployment: {} } as never)).toEqual([]);
});

describe("what counts as endangered", () => {
  test("destructive steps of data types or protected resources only", () => {
    const changes = [
      change("replace", "gcp:container/cluster:Cluster", "c"),
      change("delete", "kubernetes:core/v1:Secret", "s"),
      change("update", "gcp:sql/databaseInstance:DatabaseInstance", "db"),
      change("create-replacement", "aws:rds/instance:Instance", "rds"),
      change("delete", "gcp:container/nodePool:NodePool", "pool", true),
    ];
    expect(endangeredData(changes).map((c) => c.type)).toEqual(["aws:rds/instance:Instance", "gcp:container/nodePool:NodePool"]);
  });
});

describe("engine events", () => {
  const pre = (op: string, type: string, name: string, extra: Record<string, unknown> = {}): EngineEvent =>
    ({ sequence: 0, timestamp: 0, resourcePreEvent: { metadata: { op, urn: urn(type, name), type, provider: "", ...extra } } }) as unknown as EngineEvent;
  const outputs = (op: string, type: string, name: string, extra: Record<string, unknown> = {}): EngineEvent =>
    ({ sequence: 0, timestamp: 0, resOutputsEvent: { metadata: { op, urn: urn(type, name), type, provider: "", ...extra } } }) as unknown as EngineEvent;

  test("a preview's steps, with protection from either side, without unchanged resources or the stack", () => {
    const events = [
      pre("same", "gcp:dns/managedZone:ManagedZone", "zone"),
      pre("create", "pulumi:pulumi:Stack", "gitpod-platform-prod"),
      pre("replace", "gcp:sql/databaseInstance:DatabaseInstance", "db", { old: { protect: true } }),
      pre("create", "gcp:container/cluster:Cluster", "cluster"),
      outputs("create", "gcp:container/cluster:Cluster", "cluster"),
    ];
    expect(changesFromEvents(events, "update")).toEqual([
      { urn: urn("gcp:sql/databaseInstance:DatabaseInstance", "db"), type: "gcp:sql/databaseInstance:DatabaseInstance", op: "replace", protect: true },
      { urn: urn("gcp:container/cluster:Cluster", "cluster"), type: "gcp:container/cluster:Cluster", op: "create", protect: false },
    ]);
  });

  test("a refresh: gone resources are deletes, changed ones updates, unchanged ones left out", () => {
    const events = [
      pre("refresh", "gcp:container/cluster:Cluster", "cluster"),
      outputs("refresh", "gcp:container/cluster:Cluster", "cluster", { old: { protect: false } }),
      outputs("refresh", "gcp:sql/databaseInstance:DatabaseInstance", "db", { old: { protect: true }, new: { protect: true }, diffs: ["settings"] }),
      outputs("refresh", "gcp:dns/managedZone:ManagedZone", "zone", { old: {}, new: {} }),
    ];
    expect(changesFromEvents(events, "refresh").map((c) => [c.op, c.type, c.protect])).toEqual([
      ["delete", "gcp:container/cluster:Cluster", false],
      ["update", "gcp:sql/databaseInstance:DatabaseInstance", true],
    ]);
  });
});

describe("arguments", () => {
  test("--stack, --backup and --execute", () => {
    expect(parseRecoverArgs(["--stack", "prod"])).toEqual({ stack: "prod", backupName: undefined, fromReplica: false, regionLoss: false, explain: false, execute: false });
    expect(parseRecoverArgs(["--stack", "prod", "--region-loss", "--explain"])).toMatchObject({ regionLoss: true, explain: true, execute: false });
    expect(() => parseRecoverArgs(["--stack", "prod", "--explain", "--execute"])).toThrow(/--explain changes nothing/);
    expect(parseRecoverArgs(["--stack", "prod", "--backup", "gitpod-20260101000000", "--execute"])).toEqual({
      stack: "prod",
      backupName: "gitpod-20260101000000",
      fromReplica: false,
      regionLoss: false,
      explain: false,
      execute: true,
    });
    expect(parseRecoverArgs(["--from-replica", "--stack", "aws-prod"])).toMatchObject({ stack: "aws-prod", fromReplica: true });
  });

  test.each([[[]], [["--stack"]], [["--stack", "prod", "--force"]], [["--stack", "prod", "--backup", "Bad_Name"]], [["prod"]]])("%j is rejected", (argv) => {
    expect(() => parseRecoverArgs(argv)).toThrow(/--stack|unexpected argument|unknown option|--backup/);
  });
});

describe("the Automation API implementation (on a stand-in for the CLI's Stack)", () => {

  function standIn() {
    const config: Record<string, { value: string }> = {};
    const calls: unknown[][] = [];
    const emit = (opts: { onEvent?: (e: EngineEvent) => void }, events: EngineEvent[]) => events.forEach((e) => opts.onEvent?.(e));
    const replaceEvent = {
      sequence: 1,
      timestamp: 0,
      resourcePreEvent: { metadata: { op: "replace", urn: urn("aws:s3/bucket:Bucket", "b"), type: "aws:s3/bucket:Bucket", provider: "" } },
    } as unknown as EngineEvent;
    const stack = {
      getAllConfig: async () => ({ ...config }),
      setConfig: async (key: string, value: { value: string }, path?: boolean) => {
        calls.push(["setConfig", key, value, path]);
        config[key] = { value: value.value };
      },
      removeConfig: async (key: string) => {
        calls.push(["removeConfig", key]);
        delete config[key];
      },
      preview: async (opts: { onEvent?: (e: EngineEvent) => void; refresh?: boolean }) => {
        calls.push(["preview", opts.refresh]);
        emit(opts, [replaceEvent]);
        return {};
      },
      up: async (opts: { onEvent?: (e: EngineEvent) => void }) => {
        calls.push(["up"]);
        emit(opts, []);
        return {};
      },
      refresh: async (opts: { target?: string[] }) => {
        calls.push(["refresh", opts.target]);
        return {};
      },
      previewRefresh: async (opts: { target?: string[] }) => {
        calls.push(["previewRefresh", opts.target]);
        return {};
      },
      exportStack: async () => ({ version: 3, deployment: { resources: [{ urn: database.urn, type: database.type, custom: true, protect: true }] } }),
    };
    return { stack, config, calls };
  }

  test("selects the stack in the project directory; restore is set as one JSON value under the project namespace and removed", async () => {
    const fake = standIn();
    const select = jest.spyOn(automation.LocalWorkspace, "selectStack").mockResolvedValue(fake.stack as never);
    try {
      const ops = await automationStack("prod", "/work/project", () => undefined);
      expect(select).toHaveBeenCalledWith({ stackName: "prod", workDir: "/work/project" });
      expect(await ops.getRestore()).toBeUndefined();
      await ops.setRestore({ scheduleName: "gitpod" });
      expect(fake.calls).toContainEqual(["setConfig", "gitpod-platform:restore", { value: '{"scheduleName":"gitpod"}', secret: false }, undefined]);
      expect(await ops.getRestore()).toEqual({ scheduleName: "gitpod" });
      await ops.setRestore({ backupName: "b1" });
      expect(fake.calls).toContainEqual(["removeConfig", "gitpod-platform:restore"]);
      expect(await ops.getRestore()).toEqual({ backupName: "b1" });
      await ops.setRestore({ backupName: "b2", fromReplica: true });
      expect(fake.calls).toContainEqual(["setConfig", "gitpod-platform:restore", { value: '{"backupName":"b2","fromReplica":true}', secret: false }, undefined]);
      expect(await ops.getRestore()).toEqual({ backupName: "b2", fromReplica: true });
      await ops.removeRestore();
      expect(await ops.getRestore()).toBeUndefined();
    } finally {
      select.mockRestore();
    }
  });

  test("previews pass refresh and refresh targets through and report the engine's steps", async () => {
    const fake = standIn();
    const select = jest.spyOn(automation.LocalWorkspace, "selectStack").mockResolvedValue(fake.stack as never);
    try {
      const ops = await automationStack("prod", "/work/project", () => undefined);
      expect(await ops.stateResources()).toEqual([database]);
      const result = await ops.preview({ refreshFirst: true });
      expect(fake.calls).toContainEqual(["preview", true]);
      expect(result.changes).toEqual([{ urn: urn("aws:s3/bucket:Bucket", "b"), type: "aws:s3/bucket:Bucket", op: "replace", protect: false }]);
      // A region loss's refresh reads only its targets (`pulumi refresh --target`); otherwise everything.
      await ops.previewRefresh({ targets: [database.urn] });
      await ops.refresh();
      expect(fake.calls).toContainEqual(["previewRefresh", [database.urn]]);
      expect(fake.calls).toContainEqual(["refresh", undefined]);
    } finally {
      select.mockRestore();
    }
  });
});
