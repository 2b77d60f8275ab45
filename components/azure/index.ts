import * as pulumi from "@pulumi/pulumi";
import { StackConfig } from "../../config";
import { azureProvider } from "../../providers/azure";
import { DnsInfo, Platform, ubuntuContainerd } from "../platform";
import { AzureBackup } from "./backup";
import { AksCluster } from "./cluster";
import { MySqlFlexibleDatabase } from "./database";
import { AzureDnsZone } from "./dns";
import { AzureWorkloadIdentities } from "./identity";
import { AzureNetwork } from "./network";
import { AcrRegistry } from "./registry";
import { azureSettings } from "./settings";
import { GitpodBlobStorage } from "./storage";

export interface AzurePlatformArgs {
  /** The validated stack config of a `cloud: azure` stack. */
  config: Extract<StackConfig, { cloud: "azure" }>;
}

/** external-dns's Azure settings file, mounted at /etc/kubernetes/azure.json; it holds no credentials. Pure. */
export function externalDnsAzureJson(tenantId: string, subscriptionId: string, resourceGroup: string): string {
  return JSON.stringify({ tenantId, subscriptionId, resourceGroup, useWorkloadIdentityExtension: true }, null, 2);
}

/**
 * Gitpod's single-cluster reference architecture on Azure: resource group and VNet, AKS with three Ubuntu pools,
 * MySQL Flexible Server with private access, a storage account for object storage, ACR with a scoped token, the
 * Azure DNS zone and workload identities, returned as the Platform.
 */
export class AzurePlatform extends pulumi.ComponentResource {
  readonly platform: Platform;

  constructor(name: string, args: AzurePlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    // Checks the rules that span config sections; throws ConfigError before anything (even this component) is registered.
    const settings = azureSettings(name, args.config);
    super("gitpod:azure:Platform", name, {}, opts);
    const { config } = args;
    const { azure } = config;
    const { names, tags } = settings;
    const { location, subscriptionId } = azure;

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
        protect: config.protect,
        tags,
      },
      child,
    );
    const resourceGroupName = network.resourceGroup.name;

    const cluster = new AksCluster(
      `${name}-cluster`,
      {
        resourceGroupName,
        location,
        subscriptionId,
        clusterName: names.cluster,
        dnsPrefix: names.dnsPrefix,
        nodeResourceGroup: names.nodeResourceGroup,
        kubernetesVersion: config.cluster.kubernetesVersion,
        subnetId: network.clusterSubnet.id,
        nodePools: config.nodePools,
        systemPool: azure.cluster.systemPool,
        systemPoolMachineType: azure.cluster.systemPoolMachineType,
        zones: azure.cluster.zones,
        maxPodsPerNode: azure.cluster.maxPodsPerNode,
        podCidr: azure.network.podCidr,
        serviceCidr: azure.network.serviceCidr,
        dnsServiceIp: settings.cluster.dnsServiceIp,
        outboundType: azure.network.outboundType,
        skuTier: settings.cluster.skuTier,
        upgradeChannel: azure.cluster.upgradeChannel,
        nodeOsUpgradeChannel: azure.cluster.nodeOsUpgradeChannel,
        maintenanceWindow: azure.cluster.maintenanceWindow,
        entraId: azure.cluster.entraId,
        disableLocalAccounts: settings.cluster.disableLocalAccounts,
        kubeloginMode: azure.cluster.kubeloginMode,
        apiServerAuthorizedIpRanges: azure.cluster.apiServerAuthorizedIpRanges,
        tags,
      },
      child,
    );

    const database = new MySqlFlexibleDatabase(
      `${name}-database`,
      {
        resourceGroupName,
        location,
        serverName: names.mysqlServer,
        privateZoneName: names.mysqlPrivateZone,
        vnetId: network.vnet.id,
        subnetId: network.databaseSubnet.id,
        database: config.database,
        skuTier: settings.database.skuTier,
        geoRedundantBackup: settings.database.geoRedundantBackup,
        highAvailabilityMode: azure.database.highAvailabilityMode,
        // Regions without zones (azure.cluster.zones: []) take no zone at all.
        zone: azure.cluster.zones.length > 0 ? azure.database.zone : undefined,
        standbyZone: azure.database.standbyZone,
        protect: config.protect,
        tags,
      },
      child,
    );

    const storage = new GitpodBlobStorage(
      `${name}-storage`,
      {
        resourceGroupName,
        location,
        accountName: names.storageAccount,
        skuName: settings.storage.skuName,
        softDeleteDays: azure.storage.softDeleteDays,
        protect: config.protect,
        tags,
      },
      child,
    );

    const registry = new AcrRegistry(
      `${name}-registry`,
      {
        resourceGroupName,
        location,
        registryName: names.registry,
        sku: settings.registry.sku,
        tokenPassword: azure.registry.tokenPassword,
        protect: config.protect,
        tags,
      },
      child,
    );

    const dnsZone = new AzureDnsZone(
      `${name}-dns`,
      { resourceGroupName, domain: config.domain, dnssec: config.dns.dnssec, protect: config.protect, tags },
      child,
    );

    const identities = new AzureWorkloadIdentities(
      `${name}-identity`,
      {
        resourceGroupName,
        resourceGroupId: network.resourceGroup.id,
        location,
        subscriptionId,
        namePrefix: names.cluster,
        oidcIssuerUrl: cluster.oidcIssuerUrl,
        dnsZoneId: dnsZone.zone.id,
        tags,
      },
      child,
    );

    const backup = new AzureBackup(
      `${name}-backup`,
      {
        stack: name,
        subscriptionId,
        location,
        replicaRegion: config.backup.replicaRegion,
        zoned: azure.cluster.zones.length > 0,
        resourceGroupName,
        nodeResourceGroup: names.nodeResourceGroup,
        noncurrentVersionDays: config.backup.noncurrentVersionDays,
        softDeleteDays: config.backup.softDeleteDays,
        veleroIdentity: identities.identities.velero,
        cluster: cluster.cluster,
        protect: config.protect,
        tags,
      },
      child,
    );

    const certManager = identities.identities.certManager;
    const dns: DnsInfo = {
      domain: config.domain,
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
        extraArgs: pulumi.output(resourceGroupName).apply((group) => [`--azure-resource-group=${group}`]),
        configFiles: pulumi
          .all([identities.identities.externalDns.tenantId, resourceGroupName])
          .apply(([tenantId, group]): Record<string, string> => ({ "azure.json": externalDnsAzureJson(tenantId, subscriptionId, group) })),
      },
    };

    this.platform = {
      cloud: "azure",
      domain: config.domain,
      clusterName: cluster.cluster.name,
      kubeconfig: cluster.kubeconfig,
      nodePools: cluster.nodePools,
      containerRuntime: ubuntuContainerd,
      database: database.endpoint,
      objectStorage: storage.objectStorage,
      registry: registry.containerRegistry,
      imageMirror: registry.imageMirror,
      dns,
      workloadIdentity: identities.bindings,
      backup: backup.target,
      metadataRegion: location,
    };
    this.registerOutputs({ clusterName: this.platform.clusterName });
  }
}
