/**
 * A model of the Kubernetes API server's RBAC authorizer and its escalation check, to prove offline that the
 * installer's ServiceAccount can create what Gitpod renders. Semantics as in kubernetes/kubernetes:
 * - plugin/pkg/auth/authorizer/rbac/rbac.go `RuleAllows`: verb, API group, resource (a wildcard, the exact
 *   `resource/subresource`, or a wildcard resource with that subresource) and, when the rule names resources, a request that carries one of those names (a create or a
 *   list carries no name, so a rule with resourceNames never allows it);
 * - pkg/registry/rbac/validation `Covers` (ConfirmNoEscalation): creating a Role or ClusterRole needs `escalate` on it
 *   or every rule it grants held by the creator, in the role's namespace (ClusterRoles: cluster-wide rules only);
 * - pkg/registry/rbac/{rolebinding,clusterrolebinding}/policybased/storage.go: creating a binding needs `bind` on the
 *   referenced role (in the binding's namespace), else the referenced role is resolved (NotFound fails the create)
 *   and all its rules must be held.
 */
import { PolicyRule } from "../../components/kubernetes/gitpod/rbac";

export interface Request {
  verb: string;
  group: string;
  /** `resource` or `resource/subresource`. */
  resource: string;
  /** Empty for cluster-scoped requests. */
  namespace: string;
  /** Unset for create and list requests. */
  name?: string;
}

export interface Grants {
  /** Rules bound cluster-wide (ClusterRoleBinding). */
  cluster: PolicyRule[];
  /** Rules bound in one namespace (RoleBinding), by namespace. */
  namespaced: Record<string, PolicyRule[]>;
}

const has = (list: string[], value: string) => list.includes("*") || list.includes(value);

function resourceMatches(rule: PolicyRule, resource: string): boolean {
  const [, sub] = resource.split("/");
  return rule.resources.some((r) => r === "*" || r === resource || (sub !== undefined && r === `*/${sub}`));
}

export function ruleAllows(rule: PolicyRule, request: Request): boolean {
  if (!has(rule.verbs, request.verb) || !has(rule.apiGroups, request.group) || !resourceMatches(rule, request.resource)) return false;
  if (!rule.resourceNames || rule.resourceNames.length === 0) return true;
  return request.name !== undefined && rule.resourceNames.includes(request.name);
}

/** The rules that apply in `namespace`: cluster-wide ones, plus that namespace's. */
function rulesIn(grants: Grants, namespace: string): PolicyRule[] {
  return [...grants.cluster, ...(namespace ? (grants.namespaced[namespace] ?? []) : [])];
}

export function allowed(grants: Grants, request: Request): boolean {
  return rulesIn(grants, request.namespace).some((rule) => ruleAllows(rule, request));
}

/** Every (group, resource, verb, name) a rule grants, to check that the creator holds each one. */
function atoms(rule: PolicyRule): Request[] {
  const names: (string | undefined)[] = rule.resourceNames?.length ? rule.resourceNames : [undefined];
  return rule.apiGroups.flatMap((group) => rule.resources.flatMap((resource) => rule.verbs.flatMap((verb) => names.map((name) => ({ verb, group, resource, name, namespace: "" })))));
}

/** validation.Covers: each atom of `rules` is covered by one held rule (a held rule with names covers only those names). */
export function uncoveredRules(grants: Grants, namespace: string, rules: PolicyRule[]): Request[] {
  const held = rulesIn(grants, namespace);
  return rules.flatMap(atoms).filter((atom) =>
    !held.some((rule) => {
      if (!has(rule.verbs, atom.verb) || !has(rule.apiGroups, atom.group)) return false;
      if (!rule.resources.includes("*") && !rule.resources.includes(atom.resource)) return false;
      if (!rule.resourceNames?.length) return true;
      return atom.name !== undefined && rule.resourceNames.includes(atom.name);
    }),
  );
}

export interface RoleObject {
  kind: "Role" | "ClusterRole";
  namespace?: string;
  name: string;
  rules: PolicyRule[];
}

/** Why creating the role is refused, or undefined when it is allowed. */
export function roleCreateRefusal(grants: Grants, role: RoleObject): string | undefined {
  const namespace = role.kind === "Role" ? role.namespace! : "";
  const resource = role.kind === "Role" ? "roles" : "clusterroles";
  const base = { group: "rbac.authorization.k8s.io", resource, namespace };
  if (!allowed(grants, { ...base, verb: "create" })) return `cannot create ${resource}`;
  if (allowed(grants, { ...base, verb: "escalate", name: role.name })) return undefined;
  const missing = uncoveredRules(grants, namespace, role.rules);
  return missing.length ? `${role.kind} ${role.name}: attempting to grant RBAC permissions not currently held: ${missing.map((m) => `${m.verb} ${m.group}/${m.resource}${m.name ? `/${m.name}` : ""}`).join(", ")}` : undefined;
}

export interface BindingObject {
  kind: "RoleBinding" | "ClusterRoleBinding";
  namespace?: string;
  name: string;
  roleRef: { kind: "Role" | "ClusterRole"; name: string };
}

/** Why creating the binding is refused, or undefined. `existingRoles` are the roles in the cluster at that time. */
export function bindingCreateRefusal(grants: Grants, binding: BindingObject, existingRoles: RoleObject[]): string | undefined {
  const namespace = binding.kind === "RoleBinding" ? binding.namespace! : "";
  const resource = binding.kind === "RoleBinding" ? "rolebindings" : "clusterrolebindings";
  if (!allowed(grants, { verb: "create", group: "rbac.authorization.k8s.io", resource, namespace })) return `cannot create ${resource}`;
  const roleResource = binding.roleRef.kind === "Role" ? "roles" : "clusterroles";
  if (allowed(grants, { verb: "bind", group: "rbac.authorization.k8s.io", resource: roleResource, namespace, name: binding.roleRef.name })) return undefined;
  const role = existingRoles.find((r) => r.kind === binding.roleRef.kind && r.name === binding.roleRef.name && (r.kind === "ClusterRole" || r.namespace === namespace));
  if (!role) return `${binding.kind} ${binding.name}: ${roleResource}.rbac.authorization.k8s.io "${binding.roleRef.name}" not found`;
  const missing = uncoveredRules(grants, namespace, role.rules);
  return missing.length ? `${binding.kind} ${binding.name}: not bindable and ${missing.length} permissions of ${role.name} not held` : undefined;
}
