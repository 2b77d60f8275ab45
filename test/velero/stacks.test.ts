/**
 * Restore mode on every committed stack, through the real program: planning with and without `restore` gives the
 * same data resources with the same inputs (only what lives in the cluster may differ), and the restore plan holds
 * the Velero Restore, ordered after Velero and cert-manager and before the Certificate and Gitpod.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { writePlan } from "../../scripts/plan/output";
import { Plan, PlannedResource } from "../../scripts/plan/run";
import { committedStacks } from "../../scripts/plan/stackFile";
import { mustSurviveRebuild } from "../../components/dataResources";
import { committedPlan, onlyResource, overriddenPlan, resourcesOfType, withoutImageMirror } from "../helpers";
import { describeErrors } from "../kubernetes/schemas";
import { veleroKinds, veleroObjectValidator } from "./schemas";

const restoreConfig = { "gitpod-platform:restore": JSON.stringify({ scheduleName: "gitpod" }) };

function kept(plan: Plan): PlannedResource[] {
  return plan.resources.filter((r) => r.custom && mustSurviveRebuild({ type: r.type, protect: r.options.protect }));
}

function chart(plan: Plan, name: string): PlannedResource {
  const found = resourcesOfType(plan, "kubernetes:helm.sh/v4:Chart").filter((r) => r.inputs.chart === name);
  if (found.length !== 1) throw new Error(`expected one ${name} chart, found ${found.length}`);
  return found[0];
}

const stacks = committedStacks();

describe.each(stacks)("stack %s", (stack) => {
  let normal: Plan;
  let restoring: Plan | undefined;
  let restoreFailure: unknown;
  let fromReplica: Plan | undefined;
  let fromReplicaFailure: unknown;
  beforeAll(async () => {
    normal = await committedPlan(stack);
    try {
      restoring = await overriddenPlan(stack, restoreConfig);
    } catch (err) {
      restoreFailure = err;
    }
    try {
      fromReplica = await overriddenPlan(stack, { "gitpod-platform:restore": JSON.stringify({ scheduleName: "gitpod", fromReplica: true }) });
    } catch (err) {
      fromReplicaFailure = err;
    }
  }, 180000);

  const hasVelero = () => resourcesOfType(normal, "kubernetes:helm.sh/v4:Chart").some((c) => c.inputs.chart === "velero");

  test("Velero's objects validate against the CRD schemas; the schedule covers gitpod and cert-manager", () => {
    if (!hasVelero()) {
      // The cloud's backup layer has not filled platform.backup yet: then there is no Velero at all.
      expect(resourcesOfType(normal, "kubernetes:velero.io/v1:Schedule")).toEqual([]);
      return;
    }
    const objects = normal.resources.filter((r) => r.type.startsWith("kubernetes:velero.io/v1:"));
    expect(objects.map((o) => o.inputs.kind).sort()).toEqual(["BackupStorageLocation", "Schedule", "VolumeSnapshotLocation"]);
    for (const object of objects) {
      const validate = veleroObjectValidator(veleroKinds[object.inputs.kind as string]);
      expect(validate(object.inputs) ? [] : describeErrors(validate)).toEqual([]);
    }
    const template = (onlyResource(normal, "kubernetes:velero.io/v1:Schedule").inputs.spec as { template: Record<string, unknown> }).template;
    expect(template.includedNamespaces).toEqual(["gitpod", "cert-manager"]);
  });

  test("restore mode keeps every data and protected resource with the same inputs and options", () => {
    if (!hasVelero()) {
      expect(String(restoreFailure)).toMatch(/gitpod-platform:restore = .*restore mode needs Velero/);
      return;
    }
    expect(restoreFailure).toBeUndefined();
    const before = kept(normal);
    const after = kept(restoring!);
    // The comparison covers what matters on this cloud: its database, its DNS zone and its buckets. A cluster the
    // operator brought (cloud `existing`) has no data resources of the program's own.
    const essentials: Record<string, string[]> = {
      gcp: ["gcp:sql/databaseInstance:DatabaseInstance", "gcp:dns/managedZone:ManagedZone", "gcp:storage/bucket:Bucket"],
      aws: ["aws:rds/instance:Instance", "aws:route53/zone:Zone", "aws:s3/bucket:Bucket"],
      azure: ["azure-native:dbformysql:Server", "azure-native:dns:Zone", "azure-native:storage:StorageAccount"],
      existing: [],
    };
    expect(before.map((r) => r.type)).toEqual(expect.arrayContaining(essentials[normal.outputs.cloud as string]));
    expect(after.map((r) => r.urn).sort()).toEqual(before.map((r) => r.urn).sort());
    const afterByUrn = new Map(after.map((r) => [r.urn, r]));
    for (const resource of before) {
      const same = afterByUrn.get(resource.urn)!;
      expect({ urn: resource.urn, inputs: same.inputs, options: same.options, provider: same.provider }).toEqual({
        urn: resource.urn,
        inputs: resource.inputs,
        options: resource.options,
        provider: resource.provider,
      });
    }
  });

  test("restore mode changes only Kubernetes objects: the same cloud resources with the same inputs", () => {
    if (!hasVelero()) return expect(restoreFailure).toBeDefined();
    const cloud = (plan: Plan) => plan.resources.filter((r) => r.custom && !r.type.startsWith("kubernetes:") && r.type !== "pulumi:providers:kubernetes");
    const after = new Map(cloud(restoring!).map((r) => [r.urn, r.inputs]));
    expect([...after.keys()].sort()).toEqual(cloud(normal).map((r) => r.urn).sort());
    for (const resource of cloud(normal)) expect({ urn: resource.urn, inputs: after.get(resource.urn) }).toEqual({ urn: resource.urn, inputs: resource.inputs });
  });

  test("the restore plan holds the Restore after Velero and cert-manager, before the issuers, the Certificate and Gitpod's installer", () => {
    if (!hasVelero()) return expect(restoreFailure).toBeDefined();
    const plan = restoring!;
    expect(resourcesOfType(normal, "kubernetes:velero.io/v1:Restore")).toEqual([]);
    const restore = onlyResource(plan, "kubernetes:velero.io/v1:Restore");
    const validate = veleroObjectValidator("restore");
    expect(validate(restore.inputs) ? [] : describeErrors(validate)).toEqual([]);
    expect(restore.inputs.spec).toMatchObject({ scheduleName: "gitpod", includedNamespaces: ["gitpod", "cert-manager"] });
    for (const before of [chart(plan, "velero"), chart(plan, "cert-manager"), onlyResource(plan, "kubernetes:velero.io/v1:BackupStorageLocation")]) {
      expect(restore.dependencies).toContain(before.urn);
    }
    expect(onlyResource(plan, "kubernetes:cert-manager.io/v1:Certificate").dependencies).toContain(restore.urn);
    const issuers = resourcesOfType(plan, "kubernetes:cert-manager.io/v1:ClusterIssuer");
    expect(issuers.length).toBeGreaterThan(0);
    for (const issuer of issuers) expect(issuer.dependencies).toContain(restore.urn);
    expect(onlyResource(withoutImageMirror(plan), "kubernetes:batch/v1:Job").dependencies).toContain(restore.urn);
    expect((onlyResource(plan, "kubernetes:velero.io/v1:BackupStorageLocation").inputs.spec as { accessMode: string }).accessMode).toBe("ReadOnly");
    expect((onlyResource(normal, "kubernetes:velero.io/v1:BackupStorageLocation").inputs.spec as { accessMode: string }).accessMode).toBe("ReadWrite");
  });

  test("the plan's manifests/ holds every Velero object, and the repository password only as [secret]", () => {
    if (!hasVelero()) return expect(restoreFailure).toBeDefined();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `plan-velero-${stack}-`));
    try {
      const written = writePlan(restoring!, dir);
      expect(written).toEqual(
        expect.arrayContaining([
          "manifests/backupstoragelocation-velero-default.yaml",
          "manifests/volumesnapshotlocation-velero-default.yaml",
          "manifests/schedule-velero-gitpod.yaml",
          "manifests/restore-velero-restore-latest-gitpod.yaml",
          "manifests/secret-velero-velero-repo-credentials.yaml",
        ]),
      );
      const secret = fs.readFileSync(path.join(dir, "manifests/secret-velero-velero-repo-credentials.yaml"), "utf8");
      expect(secret).toContain('stringData: "[secret]"');
      expect(fs.readFileSync(path.join(dir, "manifests/restore-velero-restore-latest-gitpod.yaml"), "utf8")).toContain("scheduleName: gitpod");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("restoring from the replica region: AWS and Azure hand over a replica location, the others are refused by name", () => {
    if (!hasVelero()) return expect(fromReplicaFailure).toBeDefined();
    const cloud = normal.outputs.cloud as string;
    if (cloud !== "aws" && cloud !== "azure") {
      expect(String(fromReplicaFailure)).toMatch(/gitpod-platform:restore\.fromReplica = true: has no replica to read on/);
      return;
    }
    expect(fromReplicaFailure).toBeUndefined();
    const plan = fromReplica!;
    const locations = resourcesOfType(plan, "kubernetes:velero.io/v1:BackupStorageLocation");
    const replica = locations.find((l) => (l.inputs.metadata as { name: string }).name === "replica")!;
    const validate = veleroObjectValidator("backupstoragelocation");
    expect(validate(replica.inputs) ? [] : describeErrors(validate)).toEqual([]);
    expect(replica.inputs.spec).toMatchObject({ accessMode: "ReadOnly", default: false });
    expect(onlyResource(plan, "kubernetes:velero.io/v1:Restore").dependencies).toContain(replica.urn);
    // The data stays exactly as it is here too.
    const byUrn = new Map(kept(plan).map((r) => [r.urn, r]));
    expect([...byUrn.keys()].sort()).toEqual(kept(normal).map((r) => r.urn).sort());
    for (const resource of kept(normal)) expect({ urn: resource.urn, inputs: byUrn.get(resource.urn)!.inputs }).toEqual({ urn: resource.urn, inputs: resource.inputs });
  });
});
