import * as pulumi from "@pulumi/pulumi";
import { BackupTarget, DatabaseEndpoint, NodePoolInfo } from "../platform";
import { AzureBackup, grantVeleroAccess, veleroAzureCredentialsFile } from "./backup";
import { AksCluster } from "./cluster";
import { aksClusterArgs } from "./componentArgs";
import { GeoRestoredMySql } from "./geoRestore";
import { grantRole } from "./grant";
import { AzureWorkloadIdentities } from "./identity";
import { AzureNetwork } from "./network";
import { grantPreviewAccess } from "./previewAccess";
import { AzureReplicaSettings } from "./replicaSettings";
import { roleDefinitionId } from "./roles";
import { AzureConfig, AzureSettings } from "./settings";

export interface AzureReplicaSiteArgs {
  /** Name of the stack (the platform's name), for the custom roles' names. */
  stack: string;
  config: AzureConfig;
  settings: AzureSettings;
  site: AzureReplicaSettings;
  /** What the site takes from the primary: all of it global, or read (never changed) in the lost region. */
  primary: {
    /** The lost server whose geo-redundant backups are restored, and its administrator password. */
    databaseServerId: pulumi.Input<string>;
    databasePassword: pulumi.Input<string>;
    /** The DNS zone (global) and its resource group, where external-dns lists zones. */
    dnsZoneId: pulumi.Input<string>;
    dnsResourceGroupId: pulumi.Input<string>;
    zoneListerRoleId: pulumi.Input<string>;
    /** The geo-replicated registry the new kubelet pulls mirrored images from. */
    registryId: pulumi.Input<string>;
    backup: AzureBackup;
  };
}

/**
 * The stack in the paired region, built when `backup.failover` is on: a resource group of its own (ARM routes
 * control-plane writes through a group's location, so nothing new can go into the lost one), VNet and egress, AKS with
 * the same three pools, MySQL geo-restored from the primary's backups, and what the new cluster needs that is regional
 * or tied to its OIDC issuer: workload identities with federated credentials, AcrPull for its kubelet, Velero's rights
 * on the backup account and its disk groups, CI preview access. It reuses the primary's components with another
 * location and names; the primary's resources are only read.
 */
export class AzureReplicaSite extends pulumi.ComponentResource {
  readonly cluster: AksCluster;
  readonly database: DatabaseEndpoint;
  readonly identities: AzureWorkloadIdentities;
  readonly backupTarget: BackupTarget;
  readonly nodePools: NodePoolInfo[];

  constructor(name: string, args: AzureReplicaSiteArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:azure:ReplicaSite", name, {}, opts);
    const { stack, config, settings, site, primary } = args;
    const { azure, protect } = config;
    const { tags } = settings;
    const { subscriptionId } = azure;
    const child = { parent: this };

    const network = new AzureNetwork(
      `${name}-network`,
      {
        resourceGroupName: site.names.resourceGroup,
        vnetName: site.names.vnet,
        location: site.location,
        ...site.network,
        natGatewayIpCount: azure.network.outboundType === "userAssignedNATGateway" ? azure.network.outboundIpCount : undefined,
        // It holds the geo-restored database: protected like the primary's group.
        protect,
        tags,
      },
      child,
    );
    this.cluster = new AksCluster(
      `${name}-cluster`,
      {
        ...aksClusterArgs(config, settings, network),
        location: site.location,
        clusterName: site.names.cluster,
        dnsPrefix: site.names.dnsPrefix,
        nodeResourceGroup: site.names.nodeResourceGroup,
        zones: site.zones,
      },
      child,
    );
    this.database = new GeoRestoredMySql(
      `${name}-database`,
      {
        resourceGroupName: network.resourceGroup.name,
        location: site.location,
        serverName: site.names.mysqlServer,
        privateZoneName: site.names.mysqlPrivateZone,
        vnetId: network.vnet.id,
        subnetId: network.databaseSubnet.id,
        sourceServerId: primary.databaseServerId,
        database: config.database,
        skuTier: settings.database.skuTier,
        zone: site.zones.length > 0 ? azure.database.zone : undefined,
        password: primary.databasePassword,
        protect,
        lock: settings.resourceLocks,
        tags,
      },
      child,
    ).endpoint;
    this.identities = new AzureWorkloadIdentities(
      `${name}-identity`,
      {
        resourceGroupName: network.resourceGroup.name,
        resourceGroupId: primary.dnsResourceGroupId,
        location: site.location,
        subscriptionId,
        stack: `${stack} replica`,
        namePrefix: site.names.cluster,
        oidcIssuerUrl: this.cluster.oidcIssuerUrl,
        dnsZoneId: primary.dnsZoneId,
        zoneListerRoleId: primary.zoneListerRoleId,
        tags,
      },
      child,
    );
    grantRole(
      `${name}-kubelet-acr-pull`,
      {
        principalId: this.cluster.kubeletObjectId,
        principalType: "ServicePrincipal",
        roleDefinitionId: roleDefinitionId(subscriptionId, "acrPull"),
        scope: primary.registryId,
        description: "AKS kubelet (replica site): pull mirrored images",
      },
      child,
    );
    const nodeGroupId = `/subscriptions/${subscriptionId}/resourceGroups/${site.names.nodeResourceGroup}`;
    grantVeleroAccess(
      `${name}-velero`,
      {
        roleLabel: `${stack} replica`,
        subscriptionId,
        backupSubscriptionId: settings.backup.subscriptionId,
        accountId: primary.backup.account.id,
        principalId: this.identities.identities.velero.principalId,
        groupIds: { stack: network.resourceGroup.id, nodes: nodeGroupId },
        cluster: this.cluster.cluster,
      },
      { account: { ...primary.backup.accountOptions, parent: this }, disks: child },
    );
    grantPreviewAccess(
      `${name}-preview`,
      { principals: azure.previewPrincipals, stack: `${stack} replica`, subscriptionId, resourceGroupId: network.resourceGroup.id, clusterId: this.cluster.cluster.id },
      child,
    );
    this.backupTarget = replicaSiteBackupTarget(primary.backup.target, subscriptionId, network.resourceGroup.name, site.names.nodeResourceGroup);
    this.nodePools = this.cluster.nodePools;
    this.registerOutputs({ clusterName: this.cluster.cluster.name });
  }
}

/**
 * The backup target as the replica site's Velero sees it: the same account and its read-only replica, with disk
 * snapshots and restored disks in the replica's groups (snapshots are regional). Pure.
 */
export function replicaSiteBackupTarget(target: BackupTarget, subscriptionId: string, resourceGroup: pulumi.Input<string>, nodeResourceGroup: string): BackupTarget {
  return {
    ...target,
    snapshotConfig: pulumi.output(resourceGroup).apply((group): Record<string, string> => ({ resourceGroup: group, subscriptionId, incremental: "true" })),
    credentialsFile: pulumi.secret(veleroAzureCredentialsFile(subscriptionId, nodeResourceGroup)),
  };
}
