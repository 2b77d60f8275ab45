/** The difference backup.failover makes to a stack's cloud resources (scripts/recover/failoverPlan.ts), on small plans. */
import { Plan, PlannedResource } from "../../scripts/plan/run";
import { failoverDifference, failoverLines } from "../../scripts/recover/failoverPlan";

const options: PlannedResource["options"] = { protect: false, retainOnDelete: false, deleteBeforeReplace: false, ignoreChanges: [], replaceOnChanges: [], additionalSecretOutputs: [], deletedWith: "" };
const resource = (type: string, name: string, inputs: Record<string, unknown> = {}, custom = true): PlannedResource => ({
  urn: `urn:pulumi:prod::gitpod-platform::${type}::${name}`,
  type,
  name,
  parent: "",
  custom,
  provider: "",
  inputs,
  dependencies: [],
  options,
});
const plan = (...resources: PlannedResource[]) => ({ resources, outputs: {} }) as unknown as Plan;

const cluster = resource("aws:eks/cluster:Cluster", "prod-cluster", { name: "prod" });
const role = resource("aws:iam/role:Role", "prod-velero", { assumeRolePolicy: "old issuer" });
const namespace = resource("kubernetes:core/v1:Namespace", "gitpod", { metadata: { name: "gitpod" } });
const component = resource("gitpod:aws:Platform", "prod", {}, false);

test("the replica site is what only the failover plan declares; Kubernetes objects and components are left out", () => {
  const replica = resource("aws:eks/cluster:Cluster", "prod-replica-cluster", { name: "prod-eu-central-1" });
  const movedNamespace = { ...namespace, provider: "new cluster" };
  const difference = failoverDifference(plan(cluster, role, namespace, component), plan(cluster, role, movedNamespace, component, replica, resource("gitpod:aws:Site", "prod-replica", {}, false)));
  expect(difference).toEqual({ added: [replica], changed: [], dropped: [] });
});

test("a changed input or option and a dropped resource are reported: the old additive rule's violations", () => {
  const retrusted = { ...role, inputs: { assumeRolePolicy: "new issuer" } };
  const unprotected = { ...cluster, options: { ...options, protect: true } };
  const difference = failoverDifference(plan(cluster, role, resource("aws:rds/instance:Instance", "prod-db")), plan(unprotected, retrusted));
  expect(difference.changed.map((r) => r.name)).toEqual(["prod-cluster", "prod-velero"]);
  expect(difference.dropped.map((r) => r.name)).toEqual(["prod-db"]);
  const lines = failoverLines(difference, "eu-central-1").join("\n");
  expect(lines).toContain("changes (2;");
  expect(lines).toContain("drops (1;");
  expect(lines).toContain("  aws:rds/instance:Instance prod-db");
});
