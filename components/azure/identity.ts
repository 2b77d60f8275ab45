import * as authorization from "@pulumi/azure-native/authorization";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as pulumi from "@pulumi/pulumi";
import { inClusterTools, InClusterTool, WorkloadBinding } from "../platform";
import { grantRole } from "./grant";
import { BuiltInRole, roleDefinitionId } from "./roles";

export interface AzureWorkloadIdentitiesArgs {
  /** Resource group of the identities (and of the DNS zone). */
  resourceGroupName: pulumi.Input<string>;
  /** Resource id of that resource group (external-dns reads it to find the zone). */
  resourceGroupId: pulumi.Input<string>;
  /** Location of the identities. */
  location: string;
  /** Subscription, for role definition ids. */
  subscriptionId: string;
  /** Prefix of the identities' names (the cluster name). */
  namePrefix: string;
  /** The cluster's service account token issuer; each identity trusts tokens from it for one service account. */
  oidcIssuerUrl: pulumi.Input<string>;
  /** Resource id of the DNS zone cert-manager and external-dns write records in. */
  dnsZoneId: pulumi.Input<string>;
  /** Name of the stack, for the custom role's name. */
  stack: string;
  /**
   * The primary's dnsZoneLister role, for the replica site's identities: a custom role's name is unique in the
   * directory, and role definitions are not regional, so the replica reuses it instead of defining another.
   */
  zoneListerRoleId?: pulumi.Input<string>;
  /** Tags for the identities. */
  tags: Record<string, string>;
}

/** What external-dns needs on the resource group to find the zone, and nothing else (Reader would expose every resource). */
export const dnsZoneListActions = ["Microsoft.Network/dnszones/read"];

/** Audience of Kubernetes service account tokens exchanged for Entra ID tokens (Azure Workload Identity). */
export const workloadIdentityAudience = "api://AzureADTokenExchange";

const shortNames: Record<InClusterTool, string> = { certManager: "cert-manager", externalDns: "external-dns", velero: "velero" };

/**
 * The Azure roles of each tool, on the narrowest scope that works. cert-manager (DNS-01) needs DNS Zone
 * Contributor on the zone only. external-dns needs the same on the zone, and to list the group's zones to find it:
 * a custom role with dnszones/read only (`dnsZoneLister`), not Reader, which would show it MySQL, storage and
 * registry settings. Velero's storage and snapshot roles come with its backup storage, not here.
 */
export function toolRoles(): Record<InClusterTool, { role: BuiltInRole | "dnsZoneLister"; scope: "dnsZone" | "resourceGroup" }[]> {
  return {
    certManager: [{ role: "dnsZoneContributor", scope: "dnsZone" }],
    externalDns: [
      { role: "dnsZoneContributor", scope: "dnsZone" },
      { role: "dnsZoneLister", scope: "resourceGroup" },
    ],
    velero: [],
  };
}

/** The federated credential subject of a Kubernetes service account. Pure. */
export function serviceAccountSubject(namespace: string, serviceAccount: string): string {
  return `system:serviceaccount:${namespace}:${serviceAccount}`;
}

/**
 * A user-assigned managed identity per in-cluster tool, each with one federated credential that trusts only that
 * tool's Kubernetes service account on this cluster's issuer, and role assignments from toolRoles().
 */
export class AzureWorkloadIdentities extends pulumi.ComponentResource {
  readonly identities: Record<InClusterTool, managedidentity.UserAssignedIdentity>;
  readonly bindings: Record<InClusterTool, WorkloadBinding>;
  /** Id of the dnsZoneLister custom role external-dns holds on the zone's resource group. */
  readonly zoneListerRoleId: pulumi.Input<string>;

  constructor(name: string, args: AzureWorkloadIdentitiesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:azure:WorkloadIdentities", name, {}, opts);
    const identities = {} as Record<InClusterTool, managedidentity.UserAssignedIdentity>;
    const bindings = {} as Record<InClusterTool, WorkloadBinding>;
    const roles = toolRoles();
    const scopes = { dnsZone: args.dnsZoneId, resourceGroup: args.resourceGroupId };
    const zoneListerRoleId =
      args.zoneListerRoleId ??
      new authorization.RoleDefinition(
      `${name}-dns-zone-lister`,
      {
        roleName: `Gitpod DNS zone lister (${args.stack}, ${args.subscriptionId})`,
        description: "external-dns: list the DNS zones of the stack's resource group",
        roleType: "CustomRole",
        scope: `/subscriptions/${args.subscriptionId}`,
        permissions: [{ actions: dnsZoneListActions, notActions: [], dataActions: [], notDataActions: [] }],
        assignableScopes: [args.resourceGroupId],
      },
      { parent: this },
    ).id;
    for (const tool of Object.keys(inClusterTools) as InClusterTool[]) {
      const { namespace, serviceAccount } = inClusterTools[tool];
      const short = shortNames[tool];
      const identity = new managedidentity.UserAssignedIdentity(
        `${name}-${short}`,
        { resourceGroupName: args.resourceGroupName, resourceName: `${args.namePrefix}-${short}`, location: args.location, tags: args.tags },
        { parent: this },
      );
      new managedidentity.FederatedIdentityCredential(
        `${name}-${short}-federated`,
        {
          resourceGroupName: args.resourceGroupName,
          resourceName: identity.name,
          federatedIdentityCredentialResourceName: `kubernetes-${namespace}-${serviceAccount}`,
          issuer: args.oidcIssuerUrl,
          subject: serviceAccountSubject(namespace, serviceAccount),
          audiences: [workloadIdentityAudience],
        },
        { parent: this },
      );
      for (const { role, scope } of roles[tool]) {
        grantRole(
          `${name}-${short}-${role}`,
          {
            principalId: identity.principalId,
            principalType: "ServicePrincipal",
            roleDefinitionId: role === "dnsZoneLister" ? zoneListerRoleId : roleDefinitionId(args.subscriptionId, role),
            scope: scopes[scope],
            description: `Gitpod ${tool} (${namespace}/${serviceAccount})`,
          },
          { parent: this },
        );
      }
      identities[tool] = identity;
      bindings[tool] = {
        serviceAccountAnnotations: pulumi
          .all([identity.clientId, identity.tenantId])
          .apply(([clientId, tenantId]): Record<string, string> => ({
            "azure.workload.identity/client-id": clientId,
            "azure.workload.identity/tenant-id": tenantId,
          })),
        podLabels: { "azure.workload.identity/use": "true" },
      };
    }
    this.identities = identities;
    this.bindings = bindings;
    this.zoneListerRoleId = zoneListerRoleId;
    this.registerOutputs({});
  }
}
