/**
 * The cluster-loss and region-loss sequences of every committed stack, on a model of the cluster with the API
 * server's real create semantics (clusterModel.ts): the old cluster held Pulumi's objects, cert-manager's Secrets and
 * Gitpod 2022.11.3's rendered objects with their pods (facts/recovery); the Schedule backed it up; the new cluster
 * gets, in the engine's dependency order, the objects the restore-mode plan declares before the Restore, then the
 * Velero restore (in the chart's restore order), then everything that depends on the Restore. Any create of an
 * existing object fails, as pulumi-kubernetes 4.29+ does, and a restore that is not Completed stops the sequence.
 */
import * as fs from "fs";
import * as path from "path";
import { gitpodNodeLabels } from "../../components/platform";
import { stackContext } from "../../policy/context";
import { evaluate, fromPlanned } from "../../policy/evaluate";
import { rules } from "../../policy/rules";
import { restoreProblem } from "../../components/kubernetes/velero/restoreOutcome";
import { Plan, PlannedResource } from "../../scripts/plan/run";
import { committedStacks, projectRoot, readStackFile } from "../../scripts/plan/stackFile";
import { dependsOn } from "../../scripts/recover/explain";
import { failoverDifference } from "../../scripts/recover/failoverPlan";
import { backupKey, recoveryOverrides, RecoverySource } from "../../scripts/recover/settings";
import { committedPlan, onlyResource, overriddenPlan, resourcesOfType } from "../helpers";
import { backup, Cluster, KubeObject, parsePriorities, restore, RestoreResult, VeleroFilter } from "./clusterModel";

const veleroDefaults = JSON.parse(fs.readFileSync(path.join(projectRoot, "facts/velero/restore-priorities.json"), "utf8")) as { highPriorities: string[]; lowPriorities: string[] };
const gitpodRender = JSON.parse(fs.readFileSync(path.join(projectRoot, "facts/recovery/gitpod-2022.11.3-gcp-setup-objects.json"), "utf8")) as {
  objects: Array<{ apiVersion: string; kind: string; name: string; labels: Record<string, string>; podTemplate?: { labels: Record<string, string>; priorityClassName?: string }; priorityClasses?: string[]; volumeClaimTemplates?: string[] }>;
};

/** A Kubernetes object the plan declares (not charts, not providers), as the API server would hold it. */
function declaredObject(resource: PlannedResource): KubeObject | undefined {
  const match = /^kubernetes:([^:]+):(.+)$/.exec(resource.type);
  const metadata = resource.inputs.metadata as { name?: string; namespace?: string; labels?: Record<string, string> } | undefined;
  if (!resource.custom || !match || !metadata || match[1].startsWith("helm.sh/")) return undefined;
  const [group, version] = match[1].split("/");
  return {
    apiVersion: group === "core" ? version : `${group}/${version}`,
    kind: match[2],
    namespace: metadata.namespace,
    name: metadata.name ?? resource.name,
    labels: { ...(metadata.labels ?? {}) },
  };
}

/** What ran in the old cluster: Pulumi's objects, what cert-manager wrote, Gitpod's release with its pods and a workspace. */
function oldCluster(plan: Plan): Cluster {
  const cluster = new Cluster({ gkePriorityClassQuota: false });
  for (const object of plan.resources.map(declaredObject)) if (object) cluster.create(object);
  const secret = (namespace: string, name: string, labels: Record<string, string> = {}): KubeObject => ({ apiVersion: "v1", kind: "Secret", namespace, name, labels });
  for (const certificate of resourcesOfType(plan, "kubernetes:cert-manager.io/v1:Certificate")) {
    const { metadata, spec } = certificate.inputs as { metadata: { namespace: string }; spec: { secretName: string } };
    cluster.create(secret(metadata.namespace, spec.secretName, { "controller.cert-manager.io/fao": "true" }));
    cluster.create({ apiVersion: "cert-manager.io/v1", kind: "CertificateRequest", namespace: metadata.namespace, name: `${spec.secretName}-1`, labels: {} });
  }
  for (const issuer of resourcesOfType(plan, "kubernetes:cert-manager.io/v1:ClusterIssuer")) {
    const account = (issuer.inputs.spec as { acme?: { privateKeySecretRef: { name: string } } }).acme?.privateKeySecretRef.name;
    if (account) cluster.create(secret("cert-manager", account));
  }
  const ns = "gitpod";
  cluster.create(secret(ns, "sh.helm.release.v1.gitpod.v1", { owner: "helm", name: "gitpod" }));
  for (const o of gitpodRender.objects) {
    if (o.kind === "Job") continue; // Gitpod's Jobs delete themselves 60 s after they finish
    cluster.create({ apiVersion: o.apiVersion, kind: o.kind, namespace: ns, name: o.name, labels: o.labels, quotaPriorityClasses: o.priorityClasses });
    if (!o.podTemplate || o.kind === "CronJob") continue;
    if (o.kind === "Deployment") cluster.create({ apiVersion: "apps/v1", kind: "ReplicaSet", namespace: ns, name: `${o.name}-5d4f8`, labels: o.podTemplate.labels });
    cluster.create({ apiVersion: "v1", kind: "Pod", namespace: ns, name: `${o.name}-0`, labels: o.podTemplate.labels, priorityClassName: o.podTemplate.priorityClassName });
    for (const claim of o.volumeClaimTemplates ?? []) cluster.create({ apiVersion: "v1", kind: "PersistentVolumeClaim", namespace: ns, name: `${claim}-${o.name}-0`, labels: o.podTemplate.labels });
  }
  for (const type of ["regular", "imagebuild"]) {
    cluster.create({ apiVersion: "v1", kind: "Pod", namespace: ns, name: `${type}-ws-1`, labels: { app: "gitpod", component: "workspace", workspaceType: type } });
  }
  cluster.create({ apiVersion: "v1", kind: "Event", namespace: ns, name: "server.1", labels: {} });
  return cluster;
}

interface Sequence {
  restore: RestoreResult;
  /** The problem that stopped the sequence: AlreadyExists on a create, or the restore's outcome. */
  stopped?: string;
}

/** The rebuild of a restore-mode plan on an empty cluster, from a backup of the old cluster. */
function rebuild(restoring: Plan, backedUp: KubeObject[], gke: boolean, restoreSpec?: VeleroFilter, priorities?: string): Sequence {
  const cluster = new Cluster({ gkePriorityClassQuota: gke });
  const restoreResource = onlyResource(restoring, "kubernetes:velero.io/v1:Restore");
  const objects = restoring.resources.filter((r) => r !== restoreResource && declaredObject(r));
  const after = objects.filter((r) => dependsOn(restoring, r, restoreResource.urn));
  const create = (resources: PlannedResource[]): string | undefined => {
    try {
      for (const resource of resources) cluster.create(declaredObject(resource)!);
      return undefined;
    } catch (err) {
      return String(err instanceof Error ? err.message : err);
    }
  };
  const beforeProblem = create(objects.filter((r) => !after.includes(r)));
  const chartValues = resourcesOfType(restoring, "kubernetes:helm.sh/v4:Chart").find((c) => c.inputs.chart === "velero")!.inputs.values as { configuration: { restoreResourcePriorities?: string } };
  const order = parsePriorities(priorities ?? chartValues.configuration.restoreResourcePriorities, { high: veleroDefaults.highPriorities, low: veleroDefaults.lowPriorities });
  const result = restore(cluster, backedUp, restoreSpec ?? (restoreResource.inputs.spec as VeleroFilter), order);
  const outcome = restoreProblem("restore", { phase: result.phase, errors: result.errors.length }, false);
  return { restore: result, stopped: beforeProblem ?? outcome ?? create(after) };
}

/**
 * The restore-mode plan without the objects that stay on the old cluster: when the plan moves to a cluster of another
 * name (a region failover builds a new cluster beside the lost one), the providers it registers unchanged (the lost
 * cluster's add-ons provider) still target the old cluster, and nothing is created through them.
 */
function onTheRebuiltCluster(restoring: Plan, normal: Plan): Plan {
  if (restoring.outputs.clusterName === normal.outputs.clusterName) return restoring;
  const before = new Map(normal.resources.filter((r) => r.type === "pulumi:providers:kubernetes").map((r) => [r.urn, JSON.stringify(r.inputs)]));
  const unchanged = new Set(
    restoring.resources.filter((r) => r.type === "pulumi:providers:kubernetes" && before.get(r.urn) === JSON.stringify(r.inputs)).map((r) => r.urn),
  );
  return { ...restoring, resources: restoring.resources.filter((r) => !unchanged.has(r.provider)) };
}

const withoutSelector = <T extends VeleroFilter>(filter: T): T => ({ ...filter, labelSelector: undefined });

const stacks = committedStacks();
const sources: Array<[string, RecoverySource]> = [
  ["cluster loss", {}],
  ["region loss", { regionLoss: true }],
];

describe.each(stacks)("stack %s", (stack) => {
  let normal: Plan;
  const restoring: Record<string, Plan | Error> = {};
  beforeAll(async () => {
    normal = await committedPlan(stack);
    const values = readStackFile(stack).values;
    for (const [label, source] of sources) {
      restoring[label] = await overriddenPlan(stack, recoveryOverrides(values, source)).catch((err: Error) => err);
    }
  }, 180000);

  const hasVelero = () => resourcesOfType(normal, "kubernetes:velero.io/v1:Schedule").length > 0;
  const template = () => (onlyResource(normal, "kubernetes:velero.io/v1:Schedule").inputs.spec as { template: VeleroFilter }).template;
  const gke = () => normal.outputs.cloud === "gcp";

  test("the backup holds what Pulumi cannot recreate, and none of Pulumi's objects, credentials or workspaces", () => {
    if (!hasVelero()) return;
    const held = backup(oldCluster(normal), template());
    const names = held.map((o) => `${o.kind}/${o.namespace}/${o.name}`);
    expect(names).toEqual(expect.arrayContaining(["Secret/gitpod/https-certificates", "Secret/gitpod/sh.helm.release.v1.gitpod.v1", "ResourceQuota/gitpod/gitpod-resource-quota"]));
    if (resourcesOfType(normal, "kubernetes:cert-manager.io/v1:ClusterIssuer").some((i) => (i.inputs.spec as { acme?: unknown }).acme)) {
      expect(names.some((n) => /^Secret\/cert-manager\/.*-account-key$/.test(n))).toBe(true);
    }
    expect(held.filter((o) => o.labels["app.kubernetes.io/managed-by"] === "pulumi")).toEqual([]);
    expect(held.filter((o) => o.labels.component === "workspace")).toEqual([]);
    // The Secrets Pulumi writes (database, storage, registry credentials) are in the old cluster, not in the backup.
    const pulumiSecrets = resourcesOfType(normal, "kubernetes:core/v1:Secret").map((s) => (s.inputs.metadata as { name: string }).name);
    for (const name of pulumiSecrets) expect(names).not.toContain(`Secret/gitpod/${name}`);
  });

  /** A stack that cannot fail over (no replica region, or a cluster the program does not place) is refused by name. */
  const refusedRegionLoss = () => restoring["region loss"] instanceof Error;
  test("region loss is refused by name where the stack has nowhere to fail over to", () => {
    if (!refusedRegionLoss()) return expect(normal.outputs.cloud === "existing" || normal.outputs.cloud === undefined).toBe(false);
    expect(String(restoring["region loss"])).toMatch(/gitpod-platform:backup\.failover = true: (needs backup\.replicaRegion|has no meaning on cloud existing)/);
  });

  describe.each(sources)("%s", (label) => {
    const skip = () => !hasVelero() || (label === "region loss" && refusedRegionLoss());
    const plan = () => {
      const p = restoring[label];
      if (p instanceof Error) throw p;
      return onTheRebuiltCluster(p, normal);
    };

    test("the rebuild completes: the restore is Completed and no create meets an existing object", () => {
      if (skip()) return;
      const sequence = rebuild(plan(), backup(oldCluster(normal), template()), gke());
      expect(sequence.restore.errors).toEqual([]);
      expect(sequence.stopped).toBeUndefined();
      const restored = sequence.restore.restored.map((o) => `${o.kind}/${o.namespace}/${o.name}`);
      expect(restored).toEqual(expect.arrayContaining(["Secret/gitpod/https-certificates", "Pod/gitpod/server-0", "PersistentVolumeClaim/gitpod/redis-data-openvsx-proxy-0"]));
    });

    test("the old behaviour fails in the model: without the label selector Pulumi's creates meet restored objects (B4)", () => {
      if (skip()) return;
      const oldBackup = backup(oldCluster(normal), withoutSelector(template()));
      const sequence = rebuild(plan(), oldBackup, gke(), withoutSelector(onlyResource(plan(), "kubernetes:velero.io/v1:Restore").inputs.spec as VeleroFilter));
      expect(sequence.stopped).toMatch(/already exists/);
    });

    test("on GKE, Velero's default restore order refuses Gitpod's critical pods before their quota (B5)", () => {
      if (skip() || !gke()) return;
      const defaultOrder = [...veleroDefaults.highPriorities, "-", ...veleroDefaults.lowPriorities].join(",");
      const sequence = rebuild(plan(), backup(oldCluster(normal), template()), true, undefined, defaultOrder);
      expect(sequence.restore.phase).toBe("PartiallyFailed");
      expect(sequence.restore.errors.join("\n")).toMatch(/insufficient quota to match these scopes/);
      expect(sequence.stopped).toMatch(/did not complete \(phase PartiallyFailed; 7 errors/);
    });
  });

  test("region loss: the failover is additive: it drops no cloud resource, changes no input outside the replica region, and builds a cluster with three Gitpod pools", () => {
    if (refusedRegionLoss()) return;
    const failover = restoring["region loss"] as Plan;
    const difference = failoverDifference(normal, failover);
    expect(difference.dropped.map((r) => r.urn)).toEqual([]);
    const before = new Map(normal.resources.map((r) => [r.urn, r]));
    // What may change on a resource of the stack is an option that keeps it as it is (ignoreChanges), never an input,
    // except on a resource in the replica region (GCP promotes its Cloud SQL replica there); a provider is no resource
    // in a region, and AWS's primary one asks the replica region's STS (providers/aws.ts).
    const replicaRegion = (JSON.parse(readStackFile(stack).values[backupKey] ?? "{}") as { replicaRegion?: string }).replicaRegion;
    const inReplicaRegion = (r: PlannedResource) => r.inputs.region === replicaRegion || r.inputs.location === replicaRegion;
    for (const resource of difference.changed.filter((r) => !r.type.startsWith("pulumi:providers:") && !inReplicaRegion(r))) {
      expect([resource.urn, resource.inputs]).toEqual([resource.urn, before.get(resource.urn)!.inputs]);
    }
    for (const provider of difference.changed.filter((r) => r.type.startsWith("pulumi:providers:"))) {
      const { stsRegion, ...rest } = provider.inputs;
      expect([provider.urn, rest, stsRegion]).toEqual([provider.urn, before.get(provider.urn)!.inputs, normal.outputs.cloud === "aws" ? replicaRegion : undefined]);
    }
    const clusterTypes = ["gcp:container/cluster:Cluster", "aws:eks/cluster:Cluster", "azure-native:containerservice:ManagedCluster"];
    expect(difference.added.filter((r) => clusterTypes.includes(r.type))).toHaveLength(1);
    // The pools' labels: GKE nodeConfig.labels, EKS labels, AKS nodeLabels (also of the pools inline in the cluster).
    type Pool = { labels?: Record<string, string>; nodeLabels?: Record<string, string>; nodeConfig?: { labels?: Record<string, string> } };
    const pools = difference.added.flatMap((r) => [r.inputs as Pool, ...((r.inputs.agentPoolProfiles as Pool[] | undefined) ?? [])]);
    const labelsOf = (pool: Pool) => pool.labels ?? pool.nodeLabels ?? pool.nodeConfig?.labels ?? {};
    for (const labels of Object.values(gitpodNodeLabels)) {
      const carrying = pools.filter((pool) => Object.entries(labels).every(([key, value]) => labelsOf(pool)[key] === value));
      expect([labels, carrying.length]).toEqual([labels, 1]);
    }
  });

  test("region loss: the failover plan passes the policy pack that the deploy jobs run", () => {
    if (refusedRegionLoss()) return;
    const values = readStackFile(stack).values;
    const context = stackContext(stack, { ...values, ...recoveryOverrides(values, { regionLoss: true }) });
    const findings = evaluate(rules, (restoring["region loss"] as Plan).resources.map(fromPlanned), context);
    expect(findings.filter((f) => f.level === "mandatory").map((f) => `${f.rule}: ${f.message}`)).toEqual([]);
    // The restored database is exempt from backups in a second region only while the stack is failed over.
    if (["aws", "azure"].includes(normal.outputs.cloud as string)) {
      const unexempt = evaluate(rules, (restoring["region loss"] as Plan).resources.map(fromPlanned), { ...context, failover: false });
      expect(unexempt.map((f) => f.rule)).toContain("backups-in-second-region");
    }
  });

  test("region loss: the restore reads the replica of the backups where the platform hands one over, and does not wait for the lost region", () => {
    if (!hasVelero() || refusedRegionLoss()) return;
    const plan = restoring["region loss"] as Plan;
    const locations = resourcesOfType(plan, "kubernetes:velero.io/v1:BackupStorageLocation");
    const restoreResource = onlyResource(plan, "kubernetes:velero.io/v1:Restore");
    const replica = locations.find((l) => (l.inputs.metadata as { name: string }).name === "replica");
    if (normal.outputs.cloud === "aws") {
      // The replica bucket is the location itself, read-only while the restore runs, in a region that is up.
      const primary = onlyResource(normal, "kubernetes:velero.io/v1:BackupStorageLocation");
      expect(locations).toHaveLength(1);
      expect((locations[0].inputs.spec as { objectStorage: { bucket: string } }).objectStorage.bucket).not.toBe((primary.inputs.spec as { objectStorage: { bucket: string } }).objectStorage.bucket);
      const replicaRegion = (JSON.parse(readStackFile(stack).values[backupKey]) as { replicaRegion: string }).replicaRegion;
      expect(locations[0].inputs.spec).toMatchObject({ accessMode: "ReadOnly", config: { region: replicaRegion } });
    } else if (normal.outputs.cloud === "azure") {
      expect(replica?.inputs.spec).toMatchObject({ accessMode: "ReadOnly", default: false });
      expect(restoreResource.dependencies).toContain(replica!.urn);
      const primary = locations.find((l) => l !== replica)!;
      expect((primary.inputs.metadata as { annotations?: Record<string, string> }).annotations?.["pulumi.com/waitFor"]).toBeUndefined();
    } else {
      // GCP's dual-region bucket keeps its name and serves from the surviving region.
      expect(replica).toBeUndefined();
    }
  });
});
