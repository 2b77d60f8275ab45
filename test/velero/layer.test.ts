/**
 * Velero in the Kubernetes layer, on the mock runtime, for a hand-made platform of each cloud with a backup target:
 * the chart and its identity, the repository password, the credentials Secret, every Velero object as the engine
 * receives it (schema-validated), and restore mode's objects and ordering.
 */
import * as k8s from "../../providers/sdk/kubernetes";
import { ConfigMap, Namespace, Secret } from "kubernetes-models/v1";
import { retainCustomResourceDefinitions } from "../../components/kubernetes/certManager";
import { veleroChart } from "../../components/kubernetes/versions";
import { restoreWaitFor } from "../../components/kubernetes/velero/restore";
import { fakeSecretMarker } from "../../scripts/plan/fakes/random";
import { Plan, PlannedResource } from "../../scripts/plan/run";
import { onlyResource, resourcesOfType, withoutImageMirror } from "../helpers";
import { describeErrors } from "../kubernetes/schemas";
import { ManagedCloud, planLayerOn, platformWithBackup, veleroAwsLayerConfig, veleroCases, veleroLayerConfig } from "./fixtures";
import { unknownValueKeys, veleroKinds, veleroMergedValues, veleroObjectValidator, veleroValuesSchema } from "./schemas";

const chartType = "kubernetes:helm.sh/v4:Chart";
const restoreType = "kubernetes:velero.io/v1:Restore";
const locationType = "kubernetes:velero.io/v1:BackupStorageLocation";
const scheduleType = "kubernetes:velero.io/v1:Schedule";

function chart(plan: Plan, name: string): PlannedResource {
  const found = resourcesOfType(plan, chartType).filter((r) => r.inputs.chart === name);
  if (found.length !== 1) throw new Error(`expected one ${name} chart, found ${found.length}`);
  return found[0];
}

function veleroObjects(plan: Plan): PlannedResource[] {
  return plan.resources.filter((r) => r.type.startsWith("kubernetes:velero.io/v1:"));
}

function namespaceUrn(plan: Plan, name: string): string {
  return resourcesOfType(plan, "kubernetes:core/v1:Namespace").find((n) => (n.inputs.metadata as { name: string }).name === name)!.urn;
}

function secretNamed(plan: Plan, name: string): PlannedResource | undefined {
  return resourcesOfType(plan, "kubernetes:core/v1:Secret").find((s) => (s.inputs.metadata as { name: string }).name === name);
}

/** Every URN a resource depends on, directly or through its dependencies (what orders it in the engine). */
function dependencyClosure(plan: Plan, resource: PlannedResource): Set<string> {
  const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
  const seen = new Set<string>();
  const pending = [...resource.dependencies];
  while (pending.length > 0) {
    const urn = pending.pop()!;
    if (seen.has(urn)) continue;
    seen.add(urn);
    pending.push(...(byUrn.get(urn)?.dependencies ?? []));
  }
  return seen;
}

describe.each(["gcp", "aws", "azure"] as ManagedCloud[])("Velero on %s", (cloud) => {
  const expected = veleroCases[cloud];
  let plan: Plan;
  beforeAll(async () => {
    plan = await planLayerOn(() => platformWithBackup(cloud));
  });

  test("the pinned chart in its own privileged namespace, after the repository password Secret", () => {
    const velero = chart(plan, "velero");
    expect(velero.inputs).toMatchObject({
      name: "velero",
      version: veleroChart.version,
      namespace: "velero",
      repositoryOpts: { repo: veleroChart.repository },
    });
    expect(velero.dependencies).toContain(namespaceUrn(plan, "velero"));
    expect(velero.dependencies).toContain(secretNamed(plan, "velero-repo-credentials")!.urn);
    const namespace = resourcesOfType(plan, "kubernetes:core/v1:Namespace").find((n) => (n.inputs.metadata as { name: string }).name === "velero")!;
    expect((namespace.inputs.metadata as { labels: Record<string, string> }).labels["pod-security.kubernetes.io/enforce"]).toBe("privileged");
    expect(() => new Namespace(namespace.inputs as never).validate()).not.toThrow();
  });

  test("values as the engine receives them validate against the chart's schema and name only keys the chart has", () => {
    const values = chart(plan, "velero").inputs.values as Record<string, unknown>;
    const validate = veleroValuesSchema();
    expect(validate(veleroMergedValues(values)) ? [] : describeErrors(validate)).toEqual([]);
    expect(unknownValueKeys(values)).toEqual([]);
  });

  test("the cloud's plugin, workload identity and pod labels; no static credentials", () => {
    const values = chart(plan, "velero").inputs.values as Record<string, any>;
    expect(values.initContainers[0].image).toBe(expected.backup.pluginImage);
    expect(values.serviceAccount.server).toEqual({ create: true, name: "velero", annotations: expected.annotations });
    expect(values.podLabels).toEqual(expected.podLabels);
    expect(values.nodeAgent.podLabels).toEqual(expected.podLabels);
    expect(values.credentials).toEqual({ useSecret: false });
    expect(secretNamed(plan, "velero-cloud-credentials")).toBeUndefined();
  });

  test("the kopia repository password: a generated secret kept in state, in velero-repo-credentials/repository-password", () => {
    const password = onlyResource(plan, "random:index/randomPassword:RandomPassword");
    expect(password.inputs).toMatchObject({ length: 32, special: false });
    // Production (the layer config's environment): losing it makes every backup unreadable.
    expect(password.options.protect).toBe(true);
    const secret = secretNamed(plan, "velero-repo-credentials")!;
    expect(secret.inputs.metadata).toMatchObject({ name: "velero-repo-credentials", namespace: "velero" });
    expect(secret.inputs.stringData).toBe("[secret]");
    expect(JSON.stringify(plan)).not.toContain(fakeSecretMarker);
    const shape = { ...secret.inputs, stringData: { "repository-password": "x" } };
    expect(() => new Secret(shape as never).validate()).not.toThrow();
  });

  test("every Velero object validates against its CRD schema; they wait for the chart", () => {
    const objects = veleroObjects(plan);
    expect(objects.map((o) => o.type.split(":").pop()).sort()).toEqual(["BackupStorageLocation", "Schedule", "VolumeSnapshotLocation"]);
    for (const object of objects) {
      const validate = veleroObjectValidator(veleroKinds[object.inputs.kind as string]);
      expect(validate(object.inputs) ? [] : describeErrors(validate)).toEqual([]);
      expect(object.dependencies).toContain(chart(plan, "velero").urn);
      expect(object.inputs.metadata).toMatchObject({ namespace: "velero" });
    }
  });

  test("the locations use the platform's bucket and configs; read-write outside restore mode", () => {
    const location = onlyResource(plan, locationType).inputs.spec as Record<string, any>;
    expect(location).toMatchObject({ provider: expected.backup.provider, objectStorage: { bucket: expected.backup.bucket }, accessMode: "ReadWrite", default: true });
    expect(location.config).toEqual(expected.backup.config);
    const snapshots = onlyResource(plan, "kubernetes:velero.io/v1:VolumeSnapshotLocation").inputs.spec as Record<string, any>;
    expect(snapshots).toEqual({ provider: expected.backup.provider, config: expected.backup.snapshotConfig });
  });

  test("the schedule: gitpod and cert-manager at the configured frequency and TTL, active, with its volume policy", () => {
    const scheduleResource = onlyResource(plan, scheduleType);
    const spec = scheduleResource.inputs.spec as Record<string, any>;
    expect(spec.schedule).toBe("0 */6 * * *");
    expect(spec.template.ttl).toBe("720h0m0s");
    expect(spec.paused).toBe(false);
    expect(spec.template.includedNamespaces).toEqual(["gitpod", "cert-manager"]);
    const policy = resourcesOfType(plan, "kubernetes:core/v1:ConfigMap").find((c) => (c.inputs.metadata as { name: string }).name === "velero-volume-policy")!;
    expect(scheduleResource.dependencies).toContain(policy.urn);
    expect(scheduleResource.dependencies).toContain(onlyResource(plan, locationType).urn);
    expect(() => new ConfigMap(policy.inputs as never).validate()).not.toThrow();
    expect(Object.keys(policy.inputs.data as object)).toEqual(["policy.yaml"]);
  });

  test("no Restore outside restore mode", () => {
    expect(resourcesOfType(plan, restoreType)).toEqual([]);
  });
});

describe("Velero follows the stack config", () => {
  test("schedule, TTL, snapshot mode; a development stack does not protect the password", async () => {
    const config = veleroLayerConfig({
      environment: "development",
      backup: { schedule: "15 3 * * *", ttlHours: 168 },
      velero: { volumeBackup: "snapshot" },
    });
    const plan = await planLayerOn(() => platformWithBackup("gcp"), config);
    const spec = onlyResource(plan, scheduleType).inputs.spec as Record<string, any>;
    expect(spec.schedule).toBe("15 3 * * *");
    expect(spec.template.ttl).toBe("168h0m0s");
    expect(spec.template.snapshotVolumes).toBe(true);
    expect(onlyResource(plan, "random:index/randomPassword:RandomPassword").options.protect).toBe(false);
  });

  test("a platform credentials file becomes a Secret the chart mounts; its content stays secret", async () => {
    const file = "[default]\naws_access_key_id=AKIAEXAMPLE\naws_secret_access_key=very-secret-value\n";
    const plan = await planLayerOn(() => platformWithBackup("aws", { credentialsFile: file }));
    const secret = secretNamed(plan, "velero-cloud-credentials")!;
    expect(secret.inputs.stringData).toBe("[secret]");
    const velero = chart(plan, "velero");
    expect((velero.inputs.values as Record<string, any>).credentials).toEqual({ useSecret: true, existingSecret: "velero-cloud-credentials" });
    expect(velero.dependencies).toContain(secret.urn);
    expect(JSON.stringify(plan)).not.toContain("very-secret-value");
  });

  test("the chart's CRDs are retained on delete (the cert-manager transform)", async () => {
    const Chart = k8s.helm.v4.Chart;
    const spy = jest.spyOn(k8s.helm.v4, "Chart").mockImplementation((...args: ConstructorParameters<typeof Chart>) => new Chart(...args));
    try {
      await planLayerOn(() => platformWithBackup("gcp"));
      const call = spy.mock.calls.find(([, args]) => (args as { chart?: unknown }).chart === "velero");
      expect(call?.[2]?.transforms).toContain(retainCustomResourceDefinitions);
    } finally {
      spy.mockRestore();
    }
  });
});

describe("restore mode", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await planLayerOn(() => platformWithBackup("azure"), veleroLayerConfig({ restore: { backupName: "gitpod-20260101000000" }, velero: { restoreTimeoutMinutes: 90 } }));
  });

  test("the Restore validates and restores the named backup into gitpod and cert-manager", () => {
    const restore = onlyResource(plan, restoreType);
    const validate = veleroObjectValidator("restore");
    expect(validate(restore.inputs) ? [] : describeErrors(validate)).toEqual([]);
    expect(restore.inputs.metadata).toMatchObject({ name: "restore-gitpod-20260101000000", namespace: "velero" });
    expect(restore.inputs.spec).toMatchObject({ backupName: "gitpod-20260101000000", includedNamespaces: ["gitpod", "cert-manager"] });
  });

  test("the location is read-only and the schedule paused while restoring", () => {
    expect((onlyResource(plan, locationType).inputs.spec as Record<string, any>).accessMode).toBe("ReadOnly");
    expect((onlyResource(plan, scheduleType).inputs.spec as Record<string, any>).paused).toBe(true);
  });

  test("pulumi up waits for the Restore to end, whatever its phase, up to the configured timeout; another source replaces it", () => {
    const restore = onlyResource(plan, restoreType);
    expect((restore.inputs.metadata as { annotations: Record<string, string> }).annotations["pulumi.com/waitFor"]).toBe(restoreWaitFor);
    expect(restore.options.customTimeouts).toEqual({ create: "90m", update: "90m", delete: "" });
    expect(restore.options.replaceOnChanges).toEqual(["spec"]);
    expect(restore.options.deleteBeforeReplace).toBe(true);
  });

  test("the Restore comes after Velero (chart, synced location, password) and cert-manager (chart) and the gitpod namespace", () => {
    const restore = onlyResource(plan, restoreType);
    for (const needed of [chart(plan, "velero"), chart(plan, "cert-manager"), onlyResource(plan, locationType), secretNamed(plan, "velero-repo-credentials")!]) {
      expect(restore.dependencies).toContain(needed.urn);
    }
    expect(restore.dependencies).toContain(namespaceUrn(plan, "gitpod"));
  });

  test("the issuers, the Certificate and everything Gitpod declares come after the Restore", () => {
    const restore = onlyResource(plan, restoreType);
    // The issuers too: they find their restored ACME account keys instead of registering new accounts.
    const issuers = resourcesOfType(plan, "kubernetes:cert-manager.io/v1:ClusterIssuer");
    expect(issuers).toHaveLength(2);
    for (const issuer of issuers) expect(issuer.dependencies).toContain(restore.urn);
    expect(onlyResource(plan, "kubernetes:cert-manager.io/v1:Certificate").dependencies).toContain(restore.urn);
    const gitpod = onlyResource(plan, "gitpod:kubernetes:Gitpod");
    const inside = new Set([gitpod.urn]);
    const gitpodObjects: PlannedResource[] = [];
    for (const resource of plan.resources) {
      if (inside.has(resource.parent)) {
        inside.add(resource.urn);
        if (resource.type.startsWith("kubernetes:")) gitpodObjects.push(resource);
      }
    }
    // The installer Job and every object in the gitpod namespace (the Secrets the restore also brings back).
    const job = onlyResource(withoutImageMirror(plan), "kubernetes:batch/v1:Job");
    const inGitpod = gitpodObjects.filter((r) => (r.inputs.metadata as { namespace?: string } | undefined)?.namespace === "gitpod");
    expect(inGitpod.length).toBeGreaterThan(0);
    expect(job.dependencies).toContain(restore.urn);
    for (const object of inGitpod) expect(dependencyClosure(plan, object)).toContain(restore.urn);
  });

  test("a schedule source restores its newest backup", async () => {
    const fromSchedule = await planLayerOn(() => platformWithBackup("gcp"), veleroLayerConfig({ restore: { scheduleName: "gitpod" } }));
    const restore = onlyResource(fromSchedule, restoreType);
    expect(restore.inputs.spec).toMatchObject({ scheduleName: "gitpod" });
    expect((restore.inputs.metadata as { name: string }).name).toBe("restore-latest-gitpod");
  });
});

describe("restore from the replica region", () => {
  const replica = { bucket: "gitpod-test-velero-replica", config: { region: "eu-central-1" } };
  let plan: Plan;
  beforeAll(async () => {
    plan = await planLayerOn(() => platformWithBackup("aws", { replica }), veleroAwsLayerConfig({ restore: { scheduleName: "gitpod", fromReplica: true } }));
  });

  const locations = () => resourcesOfType(plan, locationType);
  const named = (name: string) => locations().find((l) => (l.inputs.metadata as { name: string }).name === name)!;

  test("a second, read-only location on the replica, awaited; the primary's region may be down, so it is not", () => {
    expect(locations().map((l) => (l.inputs.metadata as { name: string }).name).sort()).toEqual(["default", "replica"]);
    const validate = veleroObjectValidator("backupstoragelocation");
    for (const location of locations()) expect(validate(location.inputs) ? [] : describeErrors(validate)).toEqual([]);
    const spec = named("replica").inputs.spec as Record<string, any>;
    expect(spec).toMatchObject({ provider: "aws", objectStorage: { bucket: replica.bucket }, config: replica.config, accessMode: "ReadOnly", default: false });
    expect((named("replica").inputs.metadata as { annotations: Record<string, string> }).annotations["pulumi.com/waitFor"]).toContain("lastSyncedTime");
    expect((named("default").inputs.metadata as { annotations?: unknown }).annotations).toBeUndefined();
    expect((named("default").inputs.spec as Record<string, any>).accessMode).toBe("ReadOnly");
  });

  test("the Restore waits for the replica location, not the primary", () => {
    const restore = onlyResource(plan, restoreType);
    expect(restore.dependencies).toContain(named("replica").urn);
    expect(restore.dependencies).not.toContain(named("default").urn);
  });

  test("outside restore-from-replica the replica is not mounted (its backups would shadow the primary's)", async () => {
    const normal = await planLayerOn(() => platformWithBackup("aws", { replica }), veleroLayerConfig({ restore: { scheduleName: "gitpod" } }));
    expect(resourcesOfType(normal, locationType).map((l) => (l.inputs.metadata as { name: string }).name)).toEqual(["default"]);
  });

  test("after a region loss (backup.failover, restore unset) the primary location is not awaited: its region may still be down", async () => {
    const failover = (restore?: unknown) => {
      const config = veleroAwsLayerConfig(restore ? { restore } : {});
      return { ...config, backup: { ...config.backup, failover: true } } as typeof config;
    };
    const after = await planLayerOn(() => platformWithBackup("aws", { replica }), failover());
    const location = onlyResource(after, locationType);
    expect((location.inputs.metadata as { annotations?: unknown }).annotations).toBeUndefined();
    expect((location.inputs.spec as Record<string, any>).accessMode).toBe("ReadWrite");
    const normal = await planLayerOn(() => platformWithBackup("aws", { replica }), veleroAwsLayerConfig());
    expect((onlyResource(normal, locationType).inputs.metadata as { annotations: Record<string, string> }).annotations["pulumi.com/waitFor"]).toContain("lastSyncedTime");
    const restoring = await planLayerOn(() => platformWithBackup("aws", { replica }), failover({ scheduleName: "gitpod" }));
    expect(resourcesOfType(restoring, locationType).map((l) => (l.inputs.metadata as { name: string }).name).sort()).toEqual(["default", "replica"]);
  });

  test("restore.fromReplica on a platform that hands over no replica stops with a message naming the key", async () => {
    const attempt = planLayerOn(() => platformWithBackup("aws"), veleroAwsLayerConfig({ restore: { scheduleName: "gitpod", fromReplica: true } }));
    await expect(attempt).rejects.toThrow(/gitpod-platform:restore\.fromReplica = true: the aws platform has no read-only replica/);
  });
});

