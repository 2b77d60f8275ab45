/**
 * Gitpod inside the Kubernetes layer: it waits for cert-manager, the issuers and the wildcard certificate, goes
 * through the layer's explicit provider, and every object it declares is valid for Kubernetes (kubernetes-models).
 */
import { DaemonSet } from "kubernetes-models/apps/v1";
import { Job } from "kubernetes-models/batch/v1";
import { ConfigMap, Namespace, Secret, ServiceAccount } from "kubernetes-models/v1";
import { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1";
import { Plan, PlannedResource } from "../../scripts/plan/run";
import { onlyResource, resourcesOfType, withoutImageMirror } from "../helpers";
import { cloudCases, layerConfig, planLayer } from "../kubernetes/fixtures";

const models: Record<string, new (data: never) => { validate(): void }> = {
  "kubernetes:apps/v1:DaemonSet": DaemonSet,
  "kubernetes:batch/v1:Job": Job,
  "kubernetes:core/v1:ConfigMap": ConfigMap,
  "kubernetes:core/v1:Namespace": Namespace,
  "kubernetes:core/v1:Secret": Secret,
  "kubernetes:core/v1:ServiceAccount": ServiceAccount,
  "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole": ClusterRole,
  "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding": ClusterRoleBinding,
  "kubernetes:rbac.authorization.k8s.io/v1:Role": Role,
  "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": RoleBinding,
};

/** Every resource under the Gitpod component (by URN prefix of its children's parents). */
function gitpodResources(plan: Plan): PlannedResource[] {
  const root = onlyResource(plan, "gitpod:kubernetes:Gitpod");
  const inside = new Set([root.urn]);
  const result: PlannedResource[] = [];
  for (const resource of plan.resources) {
    if (inside.has(resource.parent)) {
      inside.add(resource.urn);
      result.push(resource);
    }
  }
  return result;
}

describe("Gitpod in the Kubernetes layer", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = withoutImageMirror(await planLayer(cloudCases.gcp, layerConfig()));
  });

  it("installs after cert-manager's chart, the issuers and the certificate (the engine expands components to their resources)", () => {
    const needed = [
      ...resourcesOfType(plan, "kubernetes:helm.sh/v4:Chart").filter((r) => r.name.includes("cert-manager")),
      ...resourcesOfType(plan, "kubernetes:cert-manager.io/v1:ClusterIssuer"),
      onlyResource(plan, "kubernetes:cert-manager.io/v1:Certificate"),
    ];
    expect(needed.length).toBe(4);
    const job = onlyResource(plan, "kubernetes:batch/v1:Job");
    const role = onlyResource(plan, "kubernetes:rbac.authorization.k8s.io/v1:Role");
    for (const resource of needed) {
      expect(job.dependencies).toContain(resource.urn);
      expect(role.dependencies).toContain(resource.urn);
    }
  });

  it("goes through the layer's explicit Kubernetes provider", () => {
    const provider = onlyResource(plan, "pulumi:providers:kubernetes");
    const objects = gitpodResources(plan).filter((r) => r.type.startsWith("kubernetes:"));
    expect(objects.length).toBeGreaterThanOrEqual(8);
    for (const object of objects) expect(object.provider).toBe(provider.urn);
  });

  it("tells the Job which labels belong to pools that may scale to zero, from the stack's nodePools", async () => {
    const env = (p: Plan) =>
      Object.fromEntries(((onlyResource(p, "kubernetes:batch/v1:Job").inputs.spec as any).template.spec.containers[0].env as { name: string; value: string }[]).map((e) => [e.name, e.value]));
    expect(env(plan).SCALE_FROM_ZERO_LABELS).toBe("");
    const scaling = withoutImageMirror(await planLayer(cloudCases.azure, layerConfig({ nodePools: { headlessWorkspaces: { minNodes: 0 } } })));
    expect(env(scaling).SCALE_FROM_ZERO_LABELS).toBe("gitpod.io/workload_workspace_headless");
  });

  it("declares only valid Kubernetes objects", () => {
    const objects = gitpodResources(plan).filter((r) => r.type.startsWith("kubernetes:"));
    for (const object of objects) {
      const Model = models[object.type];
      expect(Model).toBeDefined();
      const kind = object.type.split(":").pop();
      const apiVersion = object.type.split(":")[1].replace(/^core\//, "");
      // Secret data is "[secret]" in the plan; validate its shape with placeholder data of the same keys.
      const inputs = object.type === "kubernetes:core/v1:Secret" ? { ...object.inputs, stringData: { key: "x" } } : object.inputs;
      expect(() => new Model({ apiVersion, kind, ...inputs } as never).validate()).not.toThrow();
    }
  });

  it("points the installer at the layer's proxy annotations for external-dns", () => {
    const configMap = resourcesOfType(plan, "kubernetes:core/v1:ConfigMap").find((c) => (c.inputs.metadata as { namespace: string }).namespace === "gitpod-installer")!;
    const yaml = (configMap.inputs.data as Record<string, string>)["gitpod.config.yaml"];
    expect(yaml).toContain("external-dns.alpha.kubernetes.io/hostname");
    expect(yaml).toContain("name: proxy");
  });
});
