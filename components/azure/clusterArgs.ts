import { AksClusterArgs } from "./cluster";
import { AzureNetwork } from "./network";
import { AzureConfig, AzureSettings } from "./settings";

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
