/**
 * The installer Job's RBAC: what `gitpod-installer validate cluster`, `helm upgrade` of the rendered release, gpctl
 * and the script's kubectl calls need, and no more. Kubernetes' escalation rules decide the shape (pkg/registry/rbac):
 * - creating a Role or ClusterRole needs `escalate` on it or holding every rule it grants; the installer has no
 *   `escalate` (it would let it write any rule into those roles and bind them), so it holds exactly the union of
 *   what Gitpod's roles grant;
 * - creating a binding needs `bind` on the referenced role, or holding the role's rules, which needs the role to
 *   exist: Gitpod 2022.11.3 binds roles it never renders (RoleBinding `workspace` → Role `workspace`, ClusterRoles
 *   `<ns>-ns-psp:*`, `ide-service`...), so `bind` is granted by name on every role its bindings refer to.
 * test/gitpod/rbac.test.ts walks every object and binding of the 2022.11.3 render (facts/gitpod) through a model of
 * the API server's authorizer and escalation check against these rules.
 */

export interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

const manage = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"];
const rbacGroup = "rbac.authorization.k8s.io";

/** Names of the cluster-scoped objects Gitpod 2022.11.3 renders into `namespace` (its goldens, with `<ns>-` prefixes). */
export function gitpodClusterObjectNames(namespace: string): { clusterRoles: string[]; clusterRoleBindings: string[] } {
  const proxied = ["agent-smith-rb", "blobserve", "content-service-rb", "ide-metrics", "ide-service", "image-builder-mk3-proxy", "openvsx-proxy", "proxy", "public-api-server-rb", "registry-facade", "server-rb", "ws-daemon-rb", "ws-manager-bridge-rb", "ws-manager", "ws-proxy"];
  return {
    clusterRoles: [`${namespace}-kube-rbac-proxy`, `${namespace}-ns-registry-facade`, `${namespace}-ns-ws-daemon`, "ws-manager"],
    clusterRoleBindings: [
      ...proxied.map((component) => `${namespace}-${component}-kube-rbac-proxy`),
      `${namespace}-registry-facade-rb`,
      `${namespace}-ws-daemon-rb`,
      "ide-metrics",
      "ide-service",
      "ws-manager",
    ],
  };
}

/** The roles Gitpod's bindings refer to: ClusterRoles (from any binding) and Roles in `namespace`. */
export function gitpodBoundRoleNames(namespace: string): { clusterRoles: string[]; roles: string[] } {
  return {
    clusterRoles: [
      ...gitpodClusterObjectNames(namespace).clusterRoles,
      `${namespace}-ns-image-builder-mk3`,
      `${namespace}-ns-psp:restricted-root-user`,
      `${namespace}-ns-psp:unprivileged`,
      "ide-metrics",
      "ide-service",
    ],
    // `workspace` is bound but rendered only with PodSecurityPolicies (workspace/role.go); the others are rendered.
    roles: ["agent-smith", "messagebus-endpoint-reader", "server", "workspace", "ws-manager", "ws-proxy"],
  };
}

/** Rules of the installer's Role in Gitpod's namespace and of its ClusterRole. */
export function installerRbacRules(namespace: string): { namespaced: PolicyRule[]; cluster: PolicyRule[] } {
  const cluster = gitpodClusterObjectNames(namespace);
  const bound = gitpodBoundRoleNames(namespace);
  return {
    namespaced: [
      {
        apiGroups: [""],
        resources: ["configmaps", "secrets", "services", "serviceaccounts", "endpoints", "events", "pods", "pods/log", "persistentvolumeclaims", "resourcequotas"],
        verbs: manage,
      },
      // gpctl reaches ws-manager through a port-forward to stop running workspaces before an upgrade.
      { apiGroups: [""], resources: ["pods/portforward"], verbs: ["create"] },
      { apiGroups: ["apps"], resources: ["deployments", "daemonsets", "statefulsets", "replicasets"], verbs: manage },
      { apiGroups: ["batch"], resources: ["jobs", "cronjobs"], verbs: manage },
      { apiGroups: ["networking.k8s.io"], resources: ["networkpolicies"], verbs: manage },
      { apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: manage },
      { apiGroups: [rbacGroup], resources: ["roles", "rolebindings"], verbs: manage },
      { apiGroups: [rbacGroup], resources: ["roles"], verbs: ["bind"], resourceNames: bound.roles },
      { apiGroups: ["cert-manager.io"], resources: ["certificates", "issuers"], verbs: manage },
      { apiGroups: ["snapshot.storage.k8s.io"], resources: ["volumesnapshots"], verbs: manage },
      // The post-install check: does the proxy Service have ready endpoints?
      { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["get", "list"] },
    ],
    cluster: [
      // Create cannot be limited by name (the request carries none); everything else is limited to Gitpod's objects.
      { apiGroups: [rbacGroup], resources: ["clusterroles", "clusterrolebindings"], verbs: ["create"] },
      { apiGroups: [rbacGroup], resources: ["clusterroles"], verbs: ["get", "update", "patch", "delete"], resourceNames: cluster.clusterRoles },
      { apiGroups: [rbacGroup], resources: ["clusterrolebindings"], verbs: ["get", "update", "patch", "delete"], resourceNames: cluster.clusterRoleBindings },
      { apiGroups: [rbacGroup], resources: ["clusterroles"], verbs: ["bind"], resourceNames: bound.clusterRoles },
      // Exactly what Gitpod's own ClusterRoles grant (ws-daemon, registry-facade, ws-manager, kube-rbac-proxy).
      { apiGroups: [""], resources: ["nodes"], verbs: ["get", "list", "watch", "update", "patch"] },
      { apiGroups: [""], resources: ["pods", "services"], verbs: ["get", "list", "watch"] },
      { apiGroups: [""], resources: ["pods"], verbs: ["update", "patch", "delete"] },
      { apiGroups: ["authentication.k8s.io"], resources: ["tokenreviews"], verbs: ["create"] },
      { apiGroups: ["authorization.k8s.io"], resources: ["subjectaccessreviews"], verbs: ["create"] },
      { apiGroups: ["snapshot.storage.k8s.io"], resources: ["volumesnapshotcontents", "volumesnapshotclasses"], verbs: manage },
      // `validate cluster` (install/installer/pkg/cluster/checks.go): cert-manager's ClusterIssuers, and the namespace
      // check, which lists every namespace (resourceNames cannot limit a list).
      { apiGroups: ["cert-manager.io"], resources: ["clusterissuers"], verbs: ["list"] },
      { apiGroups: [""], resources: ["namespaces"], verbs: ["list"] },
    ],
  };
}
