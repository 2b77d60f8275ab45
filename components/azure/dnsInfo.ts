import * as pulumi from "@pulumi/pulumi";
import { DnsInfo } from "../platform";
import { AzureDnsZone } from "./dns";
import { AzureWorkloadIdentities } from "./identity";

/** external-dns's Azure settings file, mounted at /etc/kubernetes/azure.json; it holds no credentials. Pure. */
export function externalDnsAzureJson(tenantId: string, subscriptionId: string, resourceGroup: string): string {
  return JSON.stringify({ tenantId, subscriptionId, resourceGroup, useWorkloadIdentityExtension: true }, null, 2);
}

/** The contract's DNS: the zone, cert-manager's azureDNS solver with its managed identity, external-dns's settings. */
export function azureDnsInfo(
  domain: string,
  subscriptionId: string,
  resourceGroupName: pulumi.Output<string>,
  dnsZone: AzureDnsZone,
  identities: AzureWorkloadIdentities,
): DnsInfo {
  const certManager = identities.identities.certManager;
  return {
    domain,
    zoneId: dnsZone.zone.id,
    nameServers: dnsZone.nameServers,
    acmeDns01Solver: pulumi.all([resourceGroupName, dnsZone.zone.name, certManager.clientId]).apply(([group, zoneName, clientId]): Record<string, unknown> => ({
      azureDNS: {
        subscriptionID: subscriptionId,
        resourceGroupName: group,
        hostedZoneName: zoneName,
        environment: "AzurePublicCloud",
        managedIdentity: { clientID: clientId },
      },
    })),
    externalDns: {
      provider: "azure",
      extraArgs: resourceGroupName.apply((group) => [`--azure-resource-group=${group}`]),
      configFiles: pulumi
        .all([identities.identities.externalDns.tenantId, resourceGroupName])
        .apply(([tenantId, group]): Record<string, string> => ({ "azure.json": externalDnsAzureJson(tenantId, subscriptionId, group) })),
    },
  };
}
