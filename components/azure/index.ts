import * as pulumi from "@pulumi/pulumi";
import { StackConfig } from "../../config";
import { azureProvider } from "../../providers/azure";
import { Platform, ubuntuContainerd } from "../platform";
import { AzureBackup } from "./backup";
import { AksCluster } from "./cluster";
import { aksClusterArgs, backupArgs, mysqlArgs } from "./componentArgs";
import { MySqlFlexibleDatabase } from "./database";
import { AzureDnsZone } from "./dns";
import { azureDnsInfo } from "./dnsInfo";
import { AzureWorkloadIdentities } from "./identity";
import { AzureNetwork } from "./network";
import { grantPreviewAccess } from "./previewAccess";
import { AzureReplicaSite } from "./replicaSite";
import { AcrRegistry } from "./registry";
import { azureSettings } from "./settings";
import { GitpodBlobStorage } from "./storage";

export { externalDnsAzureJson } from "./dnsInfo";

export interface AzurePlatformArgs {
  /** The validated stack config of a `cloud: azure` stack. */
  config: Extract<StackConfig, { cloud: "azure" }>;
}

/**
 * Gitpod's single-cluster reference architecture on Azure: resource group and VNet (with a NAT gateway when the
 * nodes go out through one), AKS with three Ubuntu pools, MySQL Flexible Server with private access, a storage account
 * for object storage, ACR with a scoped token, the Azure DNS zone and workload identities, and Velero's backup account
 * in a resource group of its own, returned as the Platform.
 */
export class AzurePlatform extends pulumi.ComponentResource {
  readonly platform: Platform;

  constructor(name: string, args: AzurePlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    // Checks the rules that span config sections; throws ConfigError before anything (even this component) is registered.
    const settings = azureSettings(name, args.config);
    super("gitpod:azure:Platform", name, {}, opts);
    const { config } = args;
    const { azure } = config;
    const { names, tags, resourceLocks: lock } = settings;
    const { location, subscriptionId } = azure;
    const { protect } = config;
    const provider = azureProvider(`${name}-azure`, { subscriptionId, location }, { parent: this });
    const child = { parent: this, providers: [provider] };

    const network = new AzureNetwork(
      `${name}-network`,
      {
        resourceGroupName: names.resourceGroup,
        vnetName: names.vnet,
        location,
        vnetCidr: azure.network.vnetCidr,
        clusterSubnetCidr: azure.network.clusterSubnetCidr,
        databaseSubnetCidr: azure.network.databaseSubnetCidr,
        natGatewayIpCount: azure.network.outboundType === "userAssignedNATGateway" ? azure.network.outboundIpCount : undefined,
        protect,
        tags,
      },
      child,
    );
    const resourceGroupName = network.resourceGroup.name;
    const cluster = new AksCluster(`${name}-cluster`, aksClusterArgs(config, settings, network), child);
    const database = new MySqlFlexibleDatabase(`${name}-database`, mysqlArgs(config, settings, network), child);
    const storage = new GitpodBlobStorage(
      `${name}-storage`,
      {
        resourceGroupName,
        location,
        accountName: names.storageAccount,
        skuName: settings.storage.skuName,
        softDeleteDays: azure.storage.softDeleteDays,
        noncurrentVersionDays: azure.storage.noncurrentVersionDays,
        failedOver: config.backup.failover,
        protect,
        lock,
        tags,
      },
      child,
    );
    const registry = new AcrRegistry(
      `${name}-registry`,
      {
        resourceGroupName,
        location,
        subscriptionId,
        registryName: names.registry,
        sku: settings.registry.sku,
        tokenPassword: azure.registry.tokenPassword,
        tokenPasswordExpiry: azure.registry.tokenPasswordExpiry,
        today: new Date().toISOString().slice(0, 10),
        kubeletObjectId: cluster.kubeletObjectId,
        replica: settings.replicaSite && { location: settings.replicaSite.location, zoned: settings.replicaSite.zones.length > 0 },
        protect,
        lock,
        tags,
      },
      child,
    );
    const dnsZone = new AzureDnsZone(`${name}-dns`, { resourceGroupName, domain: config.domain, dnssec: config.dns.dnssec, protect, lock, tags }, child);
    const identities = new AzureWorkloadIdentities(
      `${name}-identity`,
      {
        resourceGroupName,
        resourceGroupId: network.resourceGroup.id,
        location,
        subscriptionId,
        stack: name,
        namePrefix: names.cluster,
        oidcIssuerUrl: cluster.oidcIssuerUrl,
        dnsZoneId: dnsZone.zone.id,
        tags,
      },
      child,
    );
    grantPreviewAccess(
      `${name}-preview`,
      {
        principals: azure.previewPrincipals,
        stack: name,
        subscriptionId,
        resourceGroupId: network.resourceGroup.id,
        clusterId: cluster.cluster.id,
        storageAccountId: storage.account.id,
      },
      { parent: this, provider },
    );
    const backup = new AzureBackup(
      `${name}-backup`,
      backupArgs(name, config, settings, { resourceGroupName, veleroIdentity: identities.identities.velero, cluster: cluster.cluster, parent: this }),
      child,
    );

    // backup.failover: the stack runs from the paired region; everything above stays declared as it was.
    const replicaSite = config.backup.failover ? settings.replicaSite : undefined;
    const replica =
      replicaSite !== undefined
        ? new AzureReplicaSite(
            `${name}-replica`,
            {
              stack: name,
              config,
              settings,
              site: replicaSite,
              primary: {
                databaseServerId: database.server.id,
                databasePassword: database.password,
                dnsZoneId: dnsZone.zone.id,
                dnsResourceGroupId: network.resourceGroup.id,
                zoneListerRoleId: identities.zoneListerRoleId,
                registryId: registry.registry.id,
                backup,
              },
            },
            child,
          )
        : undefined;
    const site = replica
      ? { cluster: replica.cluster, database: replica.database, identities: replica.identities, backup: replica.backupTarget, location: replicaSite?.location ?? location }
      : { cluster, database: database.endpoint, identities, backup: backup.target, location };

    this.platform = {
      cloud: "azure",
      domain: config.domain,
      clusterName: site.cluster.cluster.name,
      kubeconfig: site.cluster.kubeconfig,
      nodePools: site.cluster.nodePools,
      containerRuntime: ubuntuContainerd,
      database: site.database,
      objectStorage: storage.objectStorage,
      registry: registry.containerRegistry,
      dns: azureDnsInfo(config.domain, subscriptionId, resourceGroupName, dnsZone, site.identities),
      imageMirror: registry.imageMirror,
      workloadIdentity: site.identities.bindings,
      backup: site.backup,
      metadataRegion: site.location,
    };
    this.registerOutputs({ clusterName: this.platform.clusterName });
  }
}
