/**
 * Velero's pure builders (chart values, locations, schedule, restore, volume policy), tested directly and validated
 * against the upstream schemas; each schema check is shown to fail on a misspelt field.
 */
import { waitForSatisfied } from "./waitForModel";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import {
  backedUpNamespaces,
  backupStorageLocation,
  excludedFromBackup,
  pluginContainerName,
  schedule,
  veleroNames,
  veleroValues,
  VeleroValuesInput,
  volumePolicy,
  volumeSnapshotLocation,
} from "../../components/kubernetes/velero/objects";
import { restore, restoreName, restoreSourceOf } from "../../components/kubernetes/velero/restore";
import { veleroChart } from "../../components/kubernetes/versions";
import { gitpodNodeLabels } from "../../components/platform";
import { describeErrors, vendoredChart } from "../kubernetes/schemas";
import { unknownValueKeys, veleroMergedValues, veleroObjectValidator, veleroValuesSchema } from "./schemas";

const input: VeleroValuesInput = {
  provider: "azure",
  pluginImage: "velero/velero-plugin-for-microsoft-azure:v1.13.1",
  serviceAccountName: "velero",
  identity: {
    serviceAccountAnnotations: { "azure.workload.identity/client-id": "11111111-2222-3333-4444-555555555555" },
    podLabels: { "azure.workload.identity/use": "true" },
  },
  nodeSelector: gitpodNodeLabels.services,
};

function valid(kind: Parameters<typeof veleroObjectValidator>[0], object: unknown): string[] {
  const validate = veleroObjectValidator(kind);
  return validate(object) ? [] : describeErrors(validate);
}

describe("Velero chart values", () => {
  const values = veleroValues(input) as Record<string, any>;

  test("the pinned chart and image match the vendored Chart.yaml", () => {
    const chart = vendoredChart("velero-chart");
    expect(veleroChart.version).toBe(chart.version);
    expect(values.image.tag).toBe(`v${chart.appVersion}`);
  });

  test("merged over the chart's values.yaml, they validate against its values schema", () => {
    const validate = veleroValuesSchema();
    expect(validate(veleroMergedValues(values)) ? [] : describeErrors(validate)).toEqual([]);
  });

  test("the schema check fails on a wrong type, and the key check on a misspelt key", () => {
    const validate = veleroValuesSchema();
    expect(validate(veleroMergedValues({ ...values, deployNodeAgent: "yes" }))).toBe(false);
    expect(unknownValueKeys(values)).toEqual([]);
    expect(unknownValueKeys({ ...values, deployNodeAgents: true })).toEqual(["deployNodeAgents"]);
    expect(unknownValueKeys({ ...values, nodeAgent: { ...values.nodeAgent, podLabel: {} } })).toEqual(["nodeAgent.podLabel"]);
    expect(unknownValueKeys({ ...values, configuration: { ...values.configuration, uploadType: "kopia" } })).toEqual(["configuration.uploadType"]);
  });

  test("the init container is named after the plugin image, as a DNS label, whatever the provider name looks like", () => {
    expect(pluginContainerName("docker.io/velero/velero-plugin-for-gcp:v1.14.3")).toBe("velero-plugin-for-gcp");
    expect(pluginContainerName("registry.example.com:5000/mirror/velero/velero-plugin-for-aws@sha256:abc")).toBe("velero-plugin-for-aws");
    expect(pluginContainerName("Velero_Plugin:1")).toBe("velero-plugin");
    const named = veleroValues({ ...input, provider: "velero.io/azure" }) as Record<string, any>;
    expect(named.initContainers[0].name).toBe("velero-plugin-for-microsoft-azure");
  });

  test("the provider plugin runs as the init container that copies it into the plugins volume", () => {
    expect(values.initContainers).toEqual([
      {
        name: "velero-plugin-for-microsoft-azure",
        image: input.pluginImage,
        imagePullPolicy: "IfNotPresent",
        volumeMounts: [{ mountPath: "/target", name: "plugins" }],
      },
    ]);
  });

  test("the service account carries the workload identity; server and node agents carry the pod labels; no static key", () => {
    expect(values.serviceAccount).toEqual({
      server: { create: true, name: "velero", annotations: { "azure.workload.identity/client-id": "11111111-2222-3333-4444-555555555555" } },
    });
    expect(values.podLabels).toEqual({ "azure.workload.identity/use": "true" });
    expect(values.nodeAgent.podLabels).toEqual({ "azure.workload.identity/use": "true" });
    expect(values.credentials).toEqual({ useSecret: false });
  });

  test("a platform credentials file is mounted from our Secret, never templated by the chart", () => {
    const withFile = veleroValues({ ...input, credentialsSecretName: veleroNames.cloudCredentialsSecret }) as Record<string, any>;
    expect(withFile.credentials).toEqual({ useSecret: true, existingSecret: "velero-cloud-credentials" });
    expect(withFile.credentials.secretContents).toBeUndefined();
  });

  test("the restore order is Velero's whole default list (facts/velero) with resourcequotas inserted before pods", () => {
    const facts = JSON.parse(fs.readFileSync(path.join(__dirname, "../../facts/velero/restore-priorities.json"), "utf8")) as { highPriorities: string[]; lowPriorities: string[] };
    const order = (values.configuration.restoreResourcePriorities as string).split(",");
    expect(order.filter((r) => r !== "resourcequotas")).toEqual([...facts.highPriorities, "-", ...facts.lowPriorities]);
    expect(order.indexOf("resourcequotas")).toBe(order.indexOf("pods") - 1);
    expect(order.indexOf("resourcequotas")).toBeGreaterThan(order.indexOf("limitranges"));
  });

  test("node agents (kopia file-system backup) and metrics are on; locations and schedules are ours, not the chart's", () => {
    expect(values.deployNodeAgent).toBe(true);
    expect(values.configuration.uploaderType).toBe("kopia");
    expect(values.metrics).toEqual({ enabled: true });
    const merged = veleroMergedValues(values) as Record<string, any>;
    expect(merged.configuration.backupStorageLocation).toEqual([]);
    expect(merged.configuration.volumeSnapshotLocation).toEqual([]);
    expect(merged.schedules).toEqual({});
  });

  test("CRDs come from the chart's crds/ (no kubectl hook Job) and are never cleaned up by the chart", () => {
    expect(values.upgradeCRDs).toBe(false);
    expect(values.cleanUpCRDs).toBe(false);
  });

  test("server and node agents run on the services pool with the requests and limits of `velero install`", () => {
    expect(values.nodeSelector).toEqual(gitpodNodeLabels.services);
    expect(values.nodeAgent.nodeSelector).toEqual(gitpodNodeLabels.services);
    expect(values.resources).toEqual({ requests: { cpu: "500m", memory: "128Mi" }, limits: { cpu: "1000m", memory: "512Mi" } });
    expect(values.nodeAgent.resources).toEqual({ requests: { cpu: "500m", memory: "512Mi" }, limits: { cpu: "1000m", memory: "1Gi" } });
  });
});

describe("Velero objects", () => {
  const location = (readOnly: boolean) =>
    backupStorageLocation({ namespace: "velero", provider: "gcp", bucket: "gitpod-prod-backup", config: { serviceAccount: "velero@p.iam.gserviceaccount.com" }, readOnly });

  test("the BackupStorageLocation validates, is the default, and is read-only only in restore mode", () => {
    for (const readOnly of [false, true]) expect(valid("backupstoragelocation", location(readOnly))).toEqual([]);
    const spec = location(false).spec as Record<string, any>;
    expect(spec).toMatchObject({ provider: "gcp", objectStorage: { bucket: "gitpod-prod-backup" }, default: true, accessMode: "ReadWrite" });
    expect((location(true).spec as Record<string, any>).accessMode).toBe("ReadOnly");
    expect(valid("backupstoragelocation", { ...location(false), spec: { ...spec, accessMode: "ReadOnce" } })).not.toEqual([]);
    expect(valid("backupstoragelocation", { ...location(false), spec: { ...spec, objectStorage: { buckett: "x" } } })).not.toEqual([]);
  });

  test("pulumi up waits until the location is Available and its backups are synced into the cluster", () => {
    const annotations = (location(true).metadata as { annotations: Record<string, string> }).annotations;
    const conditions = JSON.parse(annotations["pulumi.com/waitFor"]) as string[];
    expect(conditions).toEqual(["jsonpath={.status.phase}=Available", "jsonpath={.status.lastSyncedTime}"]);
    // The provider's syntax (pulumi-kubernetes provider/pkg/jsonpath): `jsonpath=` + a braced path, optionally `=value`;
    // without a value the path must exist. Both fields exist in the CRD's status.
    for (const condition of conditions) expect(condition).toMatch(/^jsonpath=\{\.status\.(phase|lastSyncedTime)\}(=[A-Za-z]+)?$/);
    const status = (veleroObjectValidator("backupstoragelocation").schema as { properties: { status: { properties: Record<string, unknown> } } }).properties.status.properties;
    expect(Object.keys(status)).toEqual(expect.arrayContaining(["phase", "lastSyncedTime"]));
  });

  test("the replica's location: its own name, never the default, optionally not awaited", () => {
    const replica = backupStorageLocation({ name: "replica", namespace: "velero", provider: "aws", bucket: "b-replica", config: { region: "eu-central-1" }, readOnly: true, awaitSync: false });
    expect(valid("backupstoragelocation", replica)).toEqual([]);
    expect(replica.metadata).toMatchObject({ name: "replica" });
    expect((replica.metadata as Record<string, unknown>).annotations).toBeUndefined();
    expect(replica.spec).toMatchObject({ default: false, accessMode: "ReadOnly" });
  });

  test("the VolumeSnapshotLocation validates and carries the platform's snapshot config", () => {
    const vsl = volumeSnapshotLocation({ namespace: "velero", provider: "aws", config: { region: "eu-west-1" } });
    expect(valid("volumesnapshotlocation", vsl)).toEqual([]);
    expect(vsl.spec).toEqual({ provider: "aws", config: { region: "eu-west-1" } });
    expect(valid("volumesnapshotlocation", { ...vsl, spec: { provider: "aws", configs: {} } })).not.toEqual([]);
  });

  const gitpodSchedule = schedule({ namespace: "velero", cron: "0 */6 * * *", ttlHours: 720, volumeBackup: "fileSystem", paused: false });
  const template = (gitpodSchedule.spec as Record<string, any>).template as Record<string, any>;

  test("the Schedule validates; a misspelt template field fails", () => {
    expect(valid("schedule", gitpodSchedule)).toEqual([]);
    expect(valid("schedule", { ...gitpodSchedule, spec: { ...(gitpodSchedule.spec as object), template: { ...template, includeNamespaces: ["gitpod"] } } })).not.toEqual([]);
  });

  test("the Schedule covers gitpod and cert-manager, TLS Secrets included, cert-manager's ACME state excluded", () => {
    expect(template.includedNamespaces).toEqual(["gitpod", "cert-manager"]);
    expect(template.excludedNamespaceScopedResources).toEqual(
      expect.arrayContaining(["orders.acme.cert-manager.io", "challenges.acme.cert-manager.io", "certificaterequests.cert-manager.io"]),
    );
    // Nothing narrows the backup to some kinds, and Secrets and Certificates are not excluded.
    expect(template.includedNamespaceScopedResources).toBeUndefined();
    expect(template.includedResources).toBeUndefined();
    for (const kept of ["secrets", "certificates.cert-manager.io", "issuers.cert-manager.io"]) {
      expect(template.excludedNamespaceScopedResources).not.toContain(kept);
    }
  });

  test("frequency and TTL come from config; backups outlive the Schedule; paused in restore mode", () => {
    const custom = schedule({ namespace: "velero", cron: "30 2 * * *", ttlHours: 168, volumeBackup: "snapshot", paused: true }).spec as Record<string, any>;
    expect(custom.schedule).toBe("30 2 * * *");
    expect(custom.template.ttl).toBe("168h0m0s");
    expect(custom.paused).toBe(true);
    expect(custom.useOwnerReferencesInBackup).toBe(false);
    expect((gitpodSchedule.spec as Record<string, any>).paused).toBe(false);
  });

  test("volumes: the volume policy decides, file-system by default, the cloud's snapshots on request", () => {
    expect(template.resourcePolicy).toEqual({ kind: "configmap", name: "velero-volume-policy" });
    expect(template.defaultVolumesToFsBackup).toBe(false);
    expect(template.snapshotVolumes).toBe(false);
    const fs = YAML.parse(volumePolicy("fileSystem"));
    expect(fs.version).toBe("v1");
    expect(fs.volumePolicies[0]).toEqual({ conditions: { volumeTypes: ["emptyDir", "ephemeral", "hostPath"] }, action: { type: "skip" } });
    expect(fs.volumePolicies[1].action).toEqual({ type: "fs-backup" });
    expect(fs.volumePolicies[1].conditions.volumeTypes).toContain("csi");
    expect(YAML.parse(volumePolicy("snapshot")).volumePolicies[1].action).toEqual({ type: "snapshot" });
    const snapshots = schedule({ namespace: "velero", cron: "0 * * * *", ttlHours: 1, volumeBackup: "snapshot", paused: false }).spec as Record<string, any>;
    expect(snapshots.template.snapshotVolumes).toBe(true);
  });

  test("the Restore validates and brings back gitpod and cert-manager, without ACME state, events or Jobs", () => {
    const object = restore({ namespace: "velero", source: { backupName: "gitpod-20260101000000" } });
    expect(valid("restore", object)).toEqual([]);
    const spec = object.spec as Record<string, any>;
    expect(spec.backupName).toBe("gitpod-20260101000000");
    expect(spec.scheduleName).toBeUndefined();
    expect(spec.includedNamespaces).toEqual([...backedUpNamespaces]);
    expect(spec.excludedResources).toEqual([...excludedFromBackup, "jobs.batch"]);
    expect(spec.existingResourcePolicy).toBe("none");
    expect(valid("restore", { ...object, spec: { ...spec, restorePVs: "yes" } })).not.toEqual([]);
    expect(valid("restore", { ...object, spec: { ...spec, backupname: "x" } })).not.toEqual([]);
  });

  test("the Restore from a schedule takes its newest backup; pulumi up waits until it has ended, FailedValidation included", () => {
    const object = restore({ namespace: "velero", source: { scheduleName: "gitpod" } });
    expect(valid("restore", object)).toEqual([]);
    expect((object.spec as Record<string, any>).scheduleName).toBe("gitpod");
    expect((object.metadata as Record<string, any>).name).toBe("restore-latest-gitpod");
    const status = (veleroObjectValidator("restore").schema as any).properties.status.properties;
    expect(Object.keys(status)).toEqual(expect.arrayContaining(["completionTimestamp", "errors", "warnings", "failureReason", "validationErrors"]));
    // Each phase of the vendored CRD, with the status Velero writes in it: an ended one has completionTimestamp,
    // except FailedValidation, which has validationErrors only.
    const statusIn = (phase: string): Record<string, unknown> => {
      if (phase === "FailedValidation") return { phase, validationErrors: ["backup gitpod-1 not found"] };
      return ["Completed", "PartiallyFailed", "Failed"].includes(phase) ? { phase, completionTimestamp: "2026-01-01T00:00:00Z" } : { phase };
    };
    const phases = status.phase.enum as string[];
    expect(phases).toEqual(expect.arrayContaining(["New", "InProgress", "Completed", "PartiallyFailed", "Failed", "FailedValidation"]));
    const waitFor = (object.metadata as Record<string, any>).annotations["pulumi.com/waitFor"];
    const ended = phases.filter((phase) => waitForSatisfied(waitFor, { status: statusIn(phase) }));
    expect(ended.sort()).toEqual(["Completed", "Failed", "FailedValidation", "PartiallyFailed"]);
    // The old expression waited out the timeout on a FailedValidation restore.
    expect(waitForSatisfied("jsonpath={.status.completionTimestamp}", { status: statusIn("FailedValidation") })).toBe(false);
  });

  test("Schedule and Restore select Pulumi's objects and workspaces out; the selector validates and a wrong operator fails", () => {
    const object = restore({ namespace: "velero", source: { scheduleName: "gitpod" } });
    const selector = { matchExpressions: [
      { key: "app.kubernetes.io/managed-by", operator: "NotIn", values: ["pulumi"] },
      { key: "component", operator: "NotIn", values: ["workspace"] },
    ] };
    expect((object.spec as Record<string, any>).labelSelector).toEqual(selector);
    expect(template.labelSelector).toEqual(selector);
    expect(valid("schedule", gitpodSchedule)).toEqual([]);
    const badSelector = { matchExpressions: [{ key: "component", operator: "NotIn", values: "workspace" }] };
    expect(valid("restore", { ...object, spec: { ...(object.spec as object), labelSelector: badSelector } })).not.toEqual([]);
  });

  test("restore names are fixed by the source and at most 63 characters", () => {
    expect(restoreName({ backupName: "gitpod-20260101000000" })).toBe("restore-gitpod-20260101000000");
    const long = restoreName({ backupName: `a${"b".repeat(100)}` });
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(restoreName({ backupName: `a${"b".repeat(100)}` })).toBe(long);
    expect(restoreName({ backupName: `a${"b".repeat(99)}c` })).not.toBe(long);
  });

  test("restoreSourceOf takes the one name the config sets", () => {
    expect(restoreSourceOf({ scheduleName: "gitpod" })).toEqual({ scheduleName: "gitpod" });
    expect(restoreSourceOf({ backupName: "b1" })).toEqual({ backupName: "b1" });
    expect(() => restoreSourceOf({})).toThrow(/exactly one/);
  });
});
