/**
 * The installer's RBAC against what the API server enforces: every object of Gitpod 2022.11.3's render for each
 * cloud's config shape (facts/gitpod), created, read, patched and pruned by Helm; every Role and ClusterRole it
 * renders (escalation check); every binding (bind, or the referenced role exists and its rules are held); and the
 * calls the installer's own commands make. The model is test/gitpod/rbacModel.ts.
 */
import { gitpodBoundRoleNames, gitpodClusterObjectNames, installerRbacRules, PolicyRule } from "../../components/kubernetes/gitpod/rbac";
import { renderFacts as extractFacts } from "../../scripts/facts/gitpodRender";
import { allowed, bindingCreateRefusal, Grants, Request, roleCreateRefusal } from "./rbacModel";
import { RenderedObject, renderedBindings, renderedObjects, renderedRoles, renderFacts, Shape, shapes } from "./renderFacts";

const namespace = "gitpod";

/** REST group and resource of each kind Gitpod renders (Kubernetes API reference; cert-manager's CRDs). */
const restOf: Record<string, [string, string]> = {
  ConfigMap: ["", "configmaps"],
  Secret: ["", "secrets"],
  Service: ["", "services"],
  ServiceAccount: ["", "serviceaccounts"],
  ResourceQuota: ["", "resourcequotas"],
  PersistentVolumeClaim: ["", "persistentvolumeclaims"],
  Deployment: ["apps", "deployments"],
  DaemonSet: ["apps", "daemonsets"],
  StatefulSet: ["apps", "statefulsets"],
  Job: ["batch", "jobs"],
  CronJob: ["batch", "cronjobs"],
  NetworkPolicy: ["networking.k8s.io", "networkpolicies"],
  PodDisruptionBudget: ["policy", "poddisruptionbudgets"],
  Role: ["rbac.authorization.k8s.io", "roles"],
  RoleBinding: ["rbac.authorization.k8s.io", "rolebindings"],
  ClusterRole: ["rbac.authorization.k8s.io", "clusterroles"],
  ClusterRoleBinding: ["rbac.authorization.k8s.io", "clusterrolebindings"],
  Certificate: ["cert-manager.io", "certificates"],
  Issuer: ["cert-manager.io", "issuers"],
};

/** What `helm upgrade --install` does to each object of the release: look it up, create it, patch it, prune it. */
function helmRequests(object: RenderedObject): Request[] {
  const [group, resource] = restOf[object.kind];
  const at = { group, resource, namespace: object.namespace };
  return [
    { ...at, verb: "get", name: object.name },
    { ...at, verb: "create" },
    { ...at, verb: "patch", name: object.name },
    { ...at, verb: "delete", name: object.name },
  ];
}

/** What the installer's commands call besides the release's objects (sources in each comment). */
const commandRequests: [string, Request][] = [
  // install/installer/pkg/cluster/validation.go, checks.go (2022.11.3)
  ["validate cluster: list nodes", { verb: "list", group: "", resource: "nodes", namespace: "" }],
  ["validate cluster: checkNamespaceExists lists namespaces", { verb: "list", group: "", resource: "namespaces", namespace: "" }],
  ["validate cluster: checkCertManagerInstalled", { verb: "list", group: "cert-manager.io", resource: "clusterissuers", namespace: "" }],
  ["validate cluster: CheckSecret", { verb: "get", group: "", resource: "secrets", namespace, name: "database" }],
  // Helm's release storage (Secrets sh.helm.release.v1.gitpod.vN), status, history, rollback
  ["helm: list releases", { verb: "list", group: "", resource: "secrets", namespace }],
  ["helm: record a release", { verb: "create", group: "", resource: "secrets", namespace }],
  ["helm: update a release", { verb: "update", group: "", resource: "secrets", namespace, name: "sh.helm.release.v1.gitpod.v2" }],
  ["helm --wait: replica sets of a deployment", { verb: "list", group: "apps", resource: "replicasets", namespace }],
  // dev/gpctl/cmd/workspaces.go: port-forward to ws-manager with its client certificate
  ["gpctl: find the ws-manager pod", { verb: "list", group: "", resource: "pods", namespace }],
  ["gpctl: port-forward", { verb: "create", group: "", resource: "pods/portforward", namespace, name: "ws-manager-0" }],
  ["gpctl: client certificate", { verb: "get", group: "", resource: "secrets", namespace, name: "ws-manager-client-tls" }],
  // the script's kubectl calls
  ["kubectl wait certificate", { verb: "watch", group: "cert-manager.io", resource: "certificates", namespace }],
  ["kubectl wait workspace pods deleted", { verb: "watch", group: "", resource: "pods", namespace }],
  ["kubectl rollout status of the workspace node DaemonSet", { verb: "watch", group: "apps", resource: "daemonsets", namespace }],
  ["post-install check: proxy endpoints", { verb: "list", group: "discovery.k8s.io", resource: "endpointslices", namespace }],
];

function grantsOf(rules: { namespaced: PolicyRule[]; cluster: PolicyRule[] }): Grants {
  return { cluster: rules.cluster, namespaced: { [namespace]: rules.namespaced } };
}

/** Every refusal the API server would give the installer for one shape. */
function refusals(grants: Grants, shape: Shape): string[] {
  const objects = renderedObjects(shape, namespace);
  const roles = renderedRoles(shape, namespace);
  const denied = objects.flatMap(helmRequests).filter((request) => !allowed(grants, request)).map((r) => `${r.verb} ${r.resource} ${r.name ?? ""}`);
  const roleRefusals = roles.map((role) => roleCreateRefusal(grants, role));
  // Helm creates kinds in install order (pkg/releaseutil/kind_sorter.go), so every rendered role exists before the bindings.
  const bindingRefusals = renderedBindings(shape, namespace).map((binding) => bindingCreateRefusal(grants, binding, roles));
  const commands = commandRequests.filter(([, request]) => !allowed(grants, request)).map(([what]) => what);
  return [...denied, ...roleRefusals, ...bindingRefusals, ...commands].filter((r): r is string => r !== undefined);
}

/** The rules at commit cf5d178, before this change: the API server refuses two steps of every install (B1, B2). */
const previousRules = (() => {
  const manage = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"];
  const now = installerRbacRules(namespace);
  return {
    namespaced: now.namespaced.filter((r) => !r.verbs.includes("bind") && !r.resources.includes("pods/portforward") && !r.resources.includes("endpointslices")),
    cluster: [
      { apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterroles", "clusterrolebindings"], verbs: ["get", "list", "watch", "create", "update", "patch", "delete"] },
      { apiGroups: ["rbac.authorization.k8s.io"], resources: ["clusterroles"], verbs: ["bind"], resourceNames: gitpodBoundRoleNames(namespace).clusterRoles },
      { apiGroups: [""], resources: ["nodes"], verbs: ["get", "list", "watch", "update", "patch"] },
      { apiGroups: [""], resources: ["pods", "services"], verbs: ["get", "list", "watch", "update", "patch", "delete"] },
      { apiGroups: ["authentication.k8s.io"], resources: ["tokenreviews"], verbs: ["create"] },
      { apiGroups: ["authorization.k8s.io"], resources: ["subjectaccessreviews"], verbs: ["create"] },
      { apiGroups: ["snapshot.storage.k8s.io"], resources: ["volumesnapshotcontents", "volumesnapshotclasses"], verbs: manage },
      { apiGroups: ["cert-manager.io"], resources: ["clusterissuers"], verbs: ["list"] },
      { apiGroups: [""], resources: ["namespaces"], verbs: ["get"], resourceNames: [namespace] },
    ],
  };
})();

describe.each(shapes)("the installer's RBAC on Gitpod 2022.11.3's %s render", (shape) => {
  it("the API server allows every object, role, binding and command", () => {
    expect(refusals(grantsOf(installerRbacRules(namespace)), shape)).toEqual([]);
  });

  it("the rules before this change are refused: validate cluster's namespace list (B1) and RoleBinding workspace (B2)", () => {
    const found = refusals(grantsOf(previousRules), shape);
    expect(found).toContain("validate cluster: checkNamespaceExists lists namespaces");
    expect(found).toContain('RoleBinding workspace: roles.rbac.authorization.k8s.io "workspace" not found');
  });
});

describe("the installer's RBAC is as narrow as Kubernetes allows", () => {
  const rules = installerRbacRules(namespace);
  const all = [...rules.namespaced, ...rules.cluster];

  it("has no wildcard, no escalate, no impersonate", () => {
    for (const rule of all) {
      expect([...rule.apiGroups, ...rule.resources, ...rule.verbs]).not.toContain("*");
      expect(rule.verbs).not.toContain("escalate");
      expect(rule.verbs).not.toContain("impersonate");
    }
  });

  it("changes and deletes only Gitpod's own ClusterRoles and ClusterRoleBindings, by the names the render gives them", () => {
    const rendered = new Set(shapes.flatMap((shape) => renderedObjects(shape, namespace).filter((o) => o.namespace === "").map((o) => `${o.kind}/${o.name}`)));
    const named = gitpodClusterObjectNames(namespace);
    expect(new Set([...named.clusterRoles.map((n) => `ClusterRole/${n}`), ...named.clusterRoleBindings.map((n) => `ClusterRoleBinding/${n}`)])).toEqual(rendered);
    const grants = grantsOf(rules);
    for (const verb of ["get", "update", "patch", "delete"]) {
      expect(allowed(grants, { verb, group: "rbac.authorization.k8s.io", resource: "clusterroles", namespace: "", name: "cluster-admin" })).toBe(false);
      expect(allowed(grants, { verb, group: "rbac.authorization.k8s.io", resource: "clusterrolebindings", namespace: "", name: "cluster-admin" })).toBe(false);
    }
  });

  it("binds only the roles the render's bindings refer to", () => {
    const referred = new Set(shapes.flatMap((shape) => renderedBindings(shape, namespace).map((b) => `${b.roleRef.kind}/${b.roleRef.name}`)));
    const bound = gitpodBoundRoleNames(namespace);
    expect(new Set([...bound.clusterRoles.map((n) => `ClusterRole/${n}`), ...bound.roles.map((n) => `Role/${n}`)])).toEqual(referred);
  });

  it("holds no cluster-wide write on Services (no Gitpod role grants it)", () => {
    const grants = grantsOf(rules);
    for (const verb of ["update", "patch", "delete"]) expect(allowed(grants, { verb, group: "", resource: "services", namespace: "kube-system", name: "kube-dns" })).toBe(false);
  });

  it("holds no right that no Gitpod role, Helm or the installer's commands need: every cluster rule is used", () => {
    const grants = grantsOf(rules);
    const used = new Set<PolicyRule>();
    const requests = [
      ...shapes.flatMap((shape) => renderedObjects(shape, namespace).flatMap(helmRequests)),
      ...commandRequests.map(([, r]) => r),
      ...shapes.flatMap((shape) => renderedRoles(shape, namespace).flatMap((role) => role.rules.flatMap((rule) => rule.verbs.flatMap((verb) => rule.apiGroups.flatMap((group) => rule.resources.map((resource) => ({ verb, group, resource, namespace: role.kind === "Role" ? namespace : "" }))))))),
      ...renderedBindings("minimal", namespace).map((b) => ({ verb: "bind", group: "rbac.authorization.k8s.io", resource: b.roleRef.kind === "Role" ? "roles" : "clusterroles", namespace: b.namespace ?? "", name: b.roleRef.name })),
    ];
    for (const request of requests) for (const rule of rules.cluster) if (allowed({ cluster: [rule], namespaced: {} }, request)) used.add(rule);
    expect(rules.cluster.filter((rule) => !used.has(rule))).toEqual([]);
    expect(grants.cluster.length).toBeGreaterThan(0);
  });
});

describe("the render facts", () => {
  it("are extracted object by object (scripts/facts/gitpodRender.ts)", () => {
    const facts = extractFacts([
      { apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "t", namespace: "default" }, spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: "c", image: "i:1" }] } } } } } },
      { apiVersion: "batch/v1", kind: "Job", metadata: { name: "j", namespace: "default" }, spec: { ttlSecondsAfterFinished: 60, template: { spec: { initContainers: [{ name: "w", image: "w:1" }], containers: [{ name: "m", image: "m:1" }] } } } },
      { apiVersion: "v1", kind: "Service", metadata: { name: "s", namespace: "default" }, spec: { ports: [{ port: 80 }] } },
      { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", metadata: { name: "b" }, roleRef: { kind: "ClusterRole", name: "r" } },
    ]);
    expect(facts.images).toEqual([
      { kind: "CronJob", name: "t", container: "c", image: "i:1" },
      { kind: "Job", name: "j", container: "w", image: "w:1" },
      { kind: "Job", name: "j", container: "m", image: "m:1" },
    ]);
    expect(facts.jobs).toEqual([{ name: "j", ttlSecondsAfterFinished: 60 }]);
    expect(facts.services).toEqual([{ name: "s", type: "ClusterIP", ports: [{ name: null, port: 80, protocol: "TCP" }] }]);
    expect(facts.roleRefs).toEqual([{ kind: "ClusterRoleBinding", name: "b", roleRef: { kind: "ClusterRole", name: "r" } }]);
  });

  it("name their source: gitpod-io/gitpod at 2022.11.3, each golden's path and blob", () => {
    expect(renderFacts.source).toMatchObject({ repository: "https://github.com/gitpod-io/gitpod", tag: "2022.11.3", commit: "9ae8bfde2182c87b9a652f432c8061dce6994678" });
    for (const shape of shapes) expect(renderFacts.shapes[shape].source.goldenBlob).toMatch(/^[0-9a-f]{40}$/);
  });
});
