/**
 * Built-in Azure role definitions the stack assigns. Their GUIDs are fixed across all tenants and clouds
 * (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles), so no lookup is needed.
 */
export const builtInRoles = {
  /** DNS Zone Contributor: manage zones and record sets, not access to them. */
  dnsZoneContributor: "befefa01-2a29-4197-83a8-272ff33ce314",
  /** Network Contributor: manage networks, not access to them (AKS needs it on its subnet). */
  networkContributor: "4d97b98b-1d4f-4787-a291-c67834d212e7",
  /** Azure Kubernetes Service RBAC Cluster Admin: cluster-admin inside an AKS cluster with Azure RBAC. */
  aksRbacClusterAdmin: "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b",
  /** Storage Blob Data Contributor: read, write and delete containers and blobs (data actions), no account keys. */
  storageBlobDataContributor: "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
  /** AcrPull: pull images from a container registry. */
  acrPull: "7f951dda-4ed3-4680-a7ca-43fe172d538d",
} as const;

export type BuiltInRole = keyof typeof builtInRoles;

/** The full role definition id a role assignment takes, for a subscription. */
export function roleDefinitionId(subscriptionId: string, role: BuiltInRole): string {
  return `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${builtInRoles[role]}`;
}
