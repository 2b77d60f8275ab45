import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as pulumi from "@pulumi/pulumi";
import { azureProvider } from "../../providers/azure";
import { AzureBackupArgs } from "./backup";
import { AksClusterArgs } from "./cluster";
import { MySqlFlexibleArgs } from "./database";
import { AzureNetwork } from "./network";
import { AzureConfig, AzureSettings } from "./settings";

/**
 * The arguments of the components that take most of the stack config, from the config, its decided settings and the
 * resources they build on, so that AzurePlatform reads as a recipe.
 */

/** The cluster's arguments from the stack config, its decided settings and the network it joins. */
export function aksClusterArgs(config: AzureConfig, settings: AzureSettings, network: AzureNetwork): AksClusterArgs {
  const { azure } = config;
  const { names } = settings;
  return {
    resourceGroupName: network.resourceGroup.name,
    location: azure.location,
    subscriptionId: azure.subscriptionId,
    clusterName: names.cluster,
    dnsPrefix: names.dnsPrefix,
    nodeResourceGroup: names.nodeResourceGroup,
    kubernetesVersion: config.cluster.kubernetesVersion,
    osSku: azure.cluster.osSku,
    subnetId: network.clusterSubnet.id,
    nodePools: config.nodePools,
    systemPool: azure.cluster.systemPool,
    systemPoolMachineType: azure.cluster.systemPoolMachineType,
    zones: azure.cluster.zones,
    maxPodsPerNode: azure.cluster.maxPodsPerNode,
    podCidr: azure.network.podCidr,
    serviceCidr: azure.network.serviceCidr,
    dnsServiceIp: settings.cluster.dnsServiceIp,
    egress: network.egress
      ? { outboundType: "userAssignedNATGateway", natGatewayId: network.egress.natGateway.id, outboundCidrs: network.egress.outboundCidrs }
      : { outboundType: "loadBalancer", ipCount: azure.network.outboundIpCount },
    skuTier: settings.cluster.skuTier,
    supportPlan: settings.cluster.supportPlan,
    upgradeChannel: azure.cluster.upgradeChannel,
    nodeOsUpgradeChannel: azure.cluster.nodeOsUpgradeChannel,
    maintenanceWindow: azure.cluster.maintenanceWindow,
    entraId: azure.cluster.entraId,
    disableLocalAccounts: settings.cluster.disableLocalAccounts,
    kubeloginMode: azure.cluster.kubeloginMode,
    apiServerAuthorizedIpRanges: azure.cluster.apiServerAuthorizedIpRanges,
    tags: settings.tags,
  };
}

/** MySQL Flexible Server's arguments. */
export function mysqlArgs(config: AzureConfig, settings: AzureSettings, network: AzureNetwork): MySqlFlexibleArgs {
  const { azure } = config;
  return {
    resourceGroupName: network.resourceGroup.name,
    location: azure.location,
    serverName: settings.names.mysqlServer,
    privateZoneName: settings.names.mysqlPrivateZone,
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
    lock: settings.resourceLocks,
    tags: settings.tags,
  };
}

/**
 * Velero's backup storage's arguments. Another backup subscription gets a provider of its own (a child of `parent`),
 * which limits the blast radius further.
 */
export function backupArgs(
  stack: string,
  config: AzureConfig,
  settings: AzureSettings,
  refs: { resourceGroupName: pulumi.Output<string>; veleroIdentity: managedidentity.UserAssignedIdentity; cluster: pulumi.Resource; parent: pulumi.Resource },
): AzureBackupArgs {
  const { azure } = config;
  const { subscriptionId: backupSubscriptionId } = settings.backup;
  return {
    stack,
    subscriptionId: azure.subscriptionId,
    backupSubscriptionId,
    backupResourceGroup: settings.names.backupResourceGroup,
    backupProvider:
      backupSubscriptionId !== azure.subscriptionId
        ? azureProvider(`${stack}-azure-backup`, { subscriptionId: backupSubscriptionId, location: azure.location }, { parent: refs.parent })
        : undefined,
    immutabilityDays: config.backup.lockDays,
    location: azure.location,
    replicaRegion: config.backup.replicaRegion,
    zoned: azure.cluster.zones.length > 0,
    resourceGroupName: refs.resourceGroupName,
    nodeResourceGroup: settings.names.nodeResourceGroup,
    noncurrentVersionDays: config.backup.noncurrentVersionDays,
    softDeleteDays: config.backup.softDeleteDays,
    veleroIdentity: refs.veleroIdentity,
    cluster: refs.cluster,
    protect: config.protect,
    lock: settings.resourceLocks,
    tags: settings.tags,
  };
}
