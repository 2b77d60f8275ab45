import * as authorization from "@pulumi/azure-native/authorization";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as storage from "@pulumi/azure-native/storage";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { BackupTarget } from "../platform";
import { veleroPluginImage } from "../veleroPlugins";
import { roleDefinitionId } from "./roles";

/** The blob container Velero writes backups (and kopia's repository) into. */
export const veleroContainer = "velero";

/**
 * What velero-plugin-for-microsoft-azure's volume snapshotter does on managed disks and snapshots (README, "Specify
 * Role", Disk Management and Snapshot Management): read disks and create disks from snapshots, create, read and
 * delete snapshots. No storage actions: blob access comes from Storage Blob Data Contributor on the backup account.
 */
export const veleroSnapshotActions = [
  "Microsoft.Compute/disks/read",
  "Microsoft.Compute/disks/write",
  "Microsoft.Compute/disks/beginGetAccess/action",
  "Microsoft.Compute/disks/endGetAccess/action",
  "Microsoft.Compute/snapshots/read",
  "Microsoft.Compute/snapshots/write",
  "Microsoft.Compute/snapshots/delete",
];

/**
 * The backup account's SKU. With a replica region: RA-GZRS where the region has zones (three zones synchronously,
 * the paired region asynchronously, and the secondary readable without a failover), RA-GRS where it has none.
 * Without one (development): LRS. Pure.
 */
export function backupAccountSku(replicated: boolean, zoned: boolean): string {
  if (!replicated) return "Standard_LRS";
  return zoned ? "Standard_RAGZRS" : "Standard_RAGRS";
}

/**
 * The backup account's name: global, 3-24 lowercase letters and digits, so it carries a short hash of subscription,
 * resource group and stack (stable across runs, different between stacks). Pure.
 */
export function backupAccountName(stack: string, subscriptionId: string, resourceGroup: string): string {
  const hash = createHash("sha256").update(`${subscriptionId}/${resourceGroup}/${stack}/velero`).digest("hex").slice(0, 6);
  const alnum = `gitpod${stack.toLowerCase().replace(/[^a-z0-9]+/g, "")}`;
  return `${alnum.slice(0, 16)}bk${hash}`;
}

/**
 * The settings file velero-plugin-for-microsoft-azure reads even with workload identity (README, "Use Azure AD Workload
 * Identity"): the subscription, the resource group of the cluster's disks (for AKS the node resource group) and the
 * cloud. It holds no credential; the token comes from the federated identity. Pure.
 */
export function veleroAzureCredentialsFile(subscriptionId: string, disksResourceGroup: string): string {
  return [`AZURE_SUBSCRIPTION_ID=${subscriptionId}`, `AZURE_RESOURCE_GROUP=${disksResourceGroup}`, "AZURE_CLOUD_NAME=AzurePublicCloud", ""].join("\n");
}

export interface AzureBackupArgs {
  /** Name of the stack, for the account name and the custom role's name. */
  stack: string;
  /** Subscription of the stack. */
  subscriptionId: string;
  /** Location of the account (its primary region). */
  location: string;
  /** The paired region the account replicates to; unset means a locally redundant account (development only). */
  replicaRegion?: string;
  /** Whether the location has availability zones (azure.cluster.zones not empty): GZRS needs them. */
  zoned: boolean;
  /** The stack's resource group: the account lives here, and so do Velero's disk snapshots (they outlive the cluster). */
  resourceGroupName: pulumi.Input<string>;
  /** AKS's node resource group, where the cluster's disks are (and restored disks are created). */
  nodeResourceGroup: string;
  /** Storage account name; default derived from the stack (backupAccountName). */
  accountName?: string;
  /** Days noncurrent blob versions are kept before the lifecycle policy deletes them. */
  noncurrentVersionDays: number;
  /** Days deleted blobs and containers stay recoverable. */
  softDeleteDays: number;
  /** Velero's managed identity (components/azure/identity.ts). */
  veleroIdentity: managedidentity.UserAssignedIdentity;
  /** The node resource group exists once the cluster does; the role definition and grant there wait for it. */
  cluster: pulumi.Resource;
  /** Protect the account (Pulumi protect). */
  protect: boolean;
  /** Tags for the account. */
  tags: Record<string, string>;
}

/**
 * Velero's backup target on Azure: a storage account of its own (never Gitpod's), geo-zone-redundant to the paired
 * region with read access to the secondary, versioned, soft delete for blobs and containers, old versions deleted by a
 * lifecycle policy, TLS 1.2, no public blobs and no shared keys (Velero signs in with Entra ID); the Velero identity gets
 * Storage Blob Data Contributor on this account only and a custom snapshot role on the two resource groups it works in.
 */
export class AzureBackup extends pulumi.ComponentResource {
  readonly account: storage.StorageAccount;
  readonly target: BackupTarget;

  constructor(name: string, args: AzureBackupArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:azure:Backup", name, {}, opts);
    const resourceGroupName = pulumi.output(args.resourceGroupName);
    this.account = new storage.StorageAccount(
      `${name}-account`,
      {
        resourceGroupName: args.resourceGroupName,
        accountName: args.accountName ?? resourceGroupName.apply((group) => backupAccountName(args.stack, args.subscriptionId, group)),
        location: args.location,
        kind: "StorageV2",
        sku: { name: backupAccountSku(args.replicaRegion !== undefined, args.zoned) },
        accessTier: "Hot",
        enableHttpsTrafficOnly: true,
        minimumTlsVersion: "TLS1_2",
        allowBlobPublicAccess: false,
        allowSharedKeyAccess: false,
        defaultToOAuthAuthentication: true,
        allowCrossTenantReplication: false,
        tags: args.tags,
      },
      { parent: this, protect: args.protect },
    );
    const accountName = this.account.name;
    new storage.BlobServiceProperties(
      `${name}-blob-service`,
      {
        resourceGroupName: args.resourceGroupName,
        accountName,
        blobServicesName: "default",
        isVersioningEnabled: true,
        deleteRetentionPolicy: { enabled: true, days: args.softDeleteDays },
        containerDeleteRetentionPolicy: { enabled: true, days: args.softDeleteDays },
      },
      { parent: this },
    );
    new storage.ManagementPolicy(
      `${name}-lifecycle`,
      {
        resourceGroupName: args.resourceGroupName,
        accountName,
        managementPolicyName: "default",
        policy: {
          rules: [
            {
              name: "delete-old-versions",
              enabled: true,
              type: "Lifecycle",
              definition: {
                actions: { version: { delete: { daysAfterCreationGreaterThan: args.noncurrentVersionDays } } },
                filters: { blobTypes: ["blockBlob"] },
              },
            },
          ],
        },
      },
      { parent: this },
    );
    const container = new storage.BlobContainer(
      `${name}-container`,
      { resourceGroupName: args.resourceGroupName, accountName, containerName: veleroContainer, publicAccess: "None" },
      // The backups themselves: deleting the container deletes them, so it is protected like the account.
      { parent: this, protect: args.protect },
    );

    const principal = { principalId: args.veleroIdentity.principalId, principalType: "ServicePrincipal" };
    new authorization.RoleAssignment(
      `${name}-blob-data`,
      {
        ...principal,
        roleDefinitionId: roleDefinitionId(args.subscriptionId, "storageBlobDataContributor"),
        scope: this.account.id,
        description: "Velero: backups in its own storage account",
      },
      { parent: this },
    );

    const subscription = `/subscriptions/${args.subscriptionId}`;
    const groupIds = {
      stack: resourceGroupName.apply((group) => `${subscription}/resourceGroups/${group}`),
      nodes: `${subscription}/resourceGroups/${args.nodeResourceGroup}`,
    };
    const snapshotRole = new authorization.RoleDefinition(
      `${name}-snapshot-role`,
      {
        roleName: `Gitpod Velero disk snapshots (${args.stack}, ${args.subscriptionId})`,
        description: "Velero's volume snapshotter: read disks, create disks from snapshots, manage snapshots",
        roleType: "CustomRole",
        scope: subscription,
        permissions: [{ actions: veleroSnapshotActions, notActions: [], dataActions: [], notDataActions: [] }],
        assignableScopes: [groupIds.stack, groupIds.nodes],
      },
      { parent: this, dependsOn: [args.cluster] },
    );
    for (const [part, scope] of Object.entries(groupIds)) {
      new authorization.RoleAssignment(
        `${name}-snapshots-${part}`,
        { ...principal, roleDefinitionId: snapshotRole.id, scope, description: `Velero: disk snapshots in the ${part} resource group` },
        { parent: this, dependsOn: [args.cluster] },
      );
    }

    const locationConfig = (endpoints: pulumi.Output<{ blob: string }>) =>
      pulumi.all([resourceGroupName, accountName, endpoints]).apply(([group, account, endpoint]): Record<string, string> => ({
        resourceGroup: group,
        storageAccount: account,
        subscriptionId: args.subscriptionId,
        useAAD: "true",
        storageAccountURI: endpoint.blob,
      }));
    this.target = {
      provider: "velero.io/azure",
      pluginImage: veleroPluginImage("azure"),
      bucket: container.name,
      config: locationConfig(this.account.primaryEndpoints),
      snapshotConfig: resourceGroupName.apply((group): Record<string, string> => ({
        resourceGroup: group,
        subscriptionId: args.subscriptionId,
        incremental: "true",
      })),
      credentialsFile: pulumi.secret(veleroAzureCredentialsFile(args.subscriptionId, args.nodeResourceGroup)),
      // RA-GZRS/RA-GRS: the paired region serves reads at the secondary endpoint, Blob Data Contributor included.
      ...(args.replicaRegion !== undefined ? { replica: { bucket: container.name, config: locationConfig(this.account.secondaryEndpoints) } } : {}),
    };
    this.registerOutputs({ accountName: this.account.name });
  }
}
