import * as authorization from "@pulumi/azure-native/authorization";
import * as pulumi from "@pulumi/pulumi";
import { grantRole, PrincipalType } from "./grant";
import { roleDefinitionId } from "./roles";

/**
 * The ARM actions a preview or drift check of this program calls beyond Reader: the cluster's Entra ID kubeconfig
 * (providers/azure.ts, `listClusterUserCredential`) and Gitpod's storage key (storage.ts, `listKeys`, which is full
 * data access to that account).
 */
export const previewActions = {
  cluster: "Microsoft.ContainerService/managedClusters/listClusterUserCredential/action",
  storage: "Microsoft.Storage/storageAccounts/listkeys/action",
} as const;

export interface PreviewAccessArgs {
  principals: { objectId: string; type: PrincipalType }[];
  stack: string;
  subscriptionId: string;
  /** The stack's resource group, the custom role's assignable scope. */
  resourceGroupId: pulumi.Input<string>;
  clusterId: pulumi.Input<string>;
  /** Gitpod's storage account; the replica site leaves it out (the primary's grant on the account stays). */
  storageAccountId?: pulumi.Input<string>;
}

/**
 * What the principals of previews and drift checks need beyond Reader, exactly: a custom role with one list action
 * on the cluster and one on Gitpod's storage account, and AKS RBAC Cluster Admin in the cluster, because the
 * Kubernetes provider's server-side dry runs are authorized like the writes they preview. Not read-only, and the
 * docs say so (docs/azure.md, "CI").
 */
export function grantPreviewAccess(name: string, args: PreviewAccessArgs, opts: pulumi.CustomResourceOptions): void {
  if (args.principals.length === 0) return;
  const role = new authorization.RoleDefinition(
    `${name}-role`,
    {
      roleName: `Gitpod preview (${args.stack}, ${args.subscriptionId})`,
      description: "CI previews and drift checks: the cluster's Entra ID kubeconfig and Gitpod's storage key",
      roleType: "CustomRole",
      scope: `/subscriptions/${args.subscriptionId}`,
      permissions: [{ actions: Object.values(previewActions), notActions: [], dataActions: [], notDataActions: [] }],
      assignableScopes: [args.resourceGroupId],
    },
    opts,
  );
  args.principals.forEach((principal, index) => {
    const grant = (part: string, roleId: pulumi.Input<string>, scope: pulumi.Input<string>, description: string) =>
      grantRole(`${name}-${index}-${part}`, { principalId: principal.objectId, principalType: principal.type, roleDefinitionId: roleId, scope, description }, opts);
    grant("cluster", role.id, args.clusterId, "CI preview: the cluster's Entra ID kubeconfig");
    if (args.storageAccountId !== undefined) grant("storage", role.id, args.storageAccountId, "CI preview: Gitpod's storage key, as the program reads it");
    grant("kubernetes", roleDefinitionId(args.subscriptionId, "aksRbacClusterAdmin"), args.clusterId, "CI preview: server-side dry runs");
  });
}
