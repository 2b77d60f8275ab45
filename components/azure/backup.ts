import * as authorization from "@pulumi/azure-native/authorization";
import * as managedidentity from "@pulumi/azure-native/managedidentity";
import { Provider } from "@pulumi/azure-native/provider";
import * as resources from "@pulumi/azure-native/resources";
import * as storage from "@pulumi/azure-native/storage";
import * as pulumi from "@pulumi/pulumi";
import { BackupTarget } from "../platform";
import { veleroPluginImage } from "../veleroPlugins";
import { grantRole } from "./grant";
import { lockAgainstDelete } from "./locks";
import { roleDefinitionId } from "./roles";
import { backupAccountName } from "./settings";

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
 * Version-level WORM for the whole backup account (settable only when the account is created): every blob version
 * is immutable for `days` from its creation, so neither Velero's identity (Storage Blob Data Contributor) nor anyone
 * with its token can delete or overwrite a backup within its retention; a delete or overwrite only turns the current
 * version into a previous one (immutable-version-level-worm-policies.md). Created Unlocked (Azure creates a policy only
 * Disabled or Unlocked, so `backup.lockMode` compliance cannot be set here), which lets an
 * administrator still shorten it; locking is irreversible and left to the operator (docs/azure.md). Pure.
 */
export function backupImmutability(days: number) {
  if (days === 0) return undefined;
  return { enabled: true, immutabilityPolicy: { immutabilityPeriodSinceCreationInDays: days, state: "Unlocked", allowProtectedAppendWrites: false } };
}

/**
 * The settings file velero-plugin-for-microsoft-azure reads even with workload identity (README, "Use Azure AD Workload
 * Identity"): the subscription, the resource group of the cluster's disks (for AKS the node resource group) and the
 * cloud. It holds no credential; the token comes from the federated identity. Pure.
 */
export function veleroAzureCredentialsFile(subscriptionId: string, disksResourceGroup: string): string {
  return [`AZURE_SUBSCRIPTION_ID=${subscriptionId}`, `AZURE_RESOURCE_GROUP=${disksResourceGroup}`, "AZURE_CLOUD_NAME=AzurePublicCloud", ""].join("\n");
}

export interface VeleroAccessArgs {
  /** What tells the custom snapshot role apart (its name is unique in the directory): the stack, or the stack's replica. */
  roleLabel: string;
  subscriptionId: string;
  backupSubscriptionId: string;
  /** The backup storage account. */
  accountId: pulumi.Input<string>;
  principalId: pulumi.Input<string>;
  /** The resource groups Velero snapshots disks in and restores them to: the stack's and the cluster's node group. */
  groupIds: { stack: pulumi.Input<string>; nodes: pulumi.Input<string> };
  /** The node resource group exists once the cluster does; the role definition and grants there wait for it. */
  cluster: pulumi.Resource;
}

/**
 * Velero's rights: Storage Blob Data Contributor on the backup account (through `opts.account`, the backup
 * subscription's provider) and a custom snapshot role on the two resource groups of its disks.
 */
export function grantVeleroAccess(name: string, args: VeleroAccessArgs, opts: { account: pulumi.CustomResourceOptions; disks: pulumi.CustomResourceOptions }): void {
  const principal = { principalId: args.principalId, principalType: "ServicePrincipal" } as const;
  grantRole(
    `${name}-blob-data`,
    {
      ...principal,
      roleDefinitionId: roleDefinitionId(args.backupSubscriptionId, "storageBlobDataContributor"),
      scope: args.accountId,
      description: "Velero: backups in its own storage account",
    },
    opts.account,
  );
  const subscription = `/subscriptions/${args.subscriptionId}`;
  const snapshotRole = new authorization.RoleDefinition(
    `${name}-snapshot-role`,
    {
      roleName: `Gitpod Velero disk snapshots (${args.roleLabel}, ${args.subscriptionId})`,
      description: "Velero's volume snapshotter: read disks, create disks from snapshots, manage snapshots",
      roleType: "CustomRole",
      scope: subscription,
      permissions: [{ actions: veleroSnapshotActions, notActions: [], dataActions: [], notDataActions: [] }],
      assignableScopes: [args.groupIds.stack, args.groupIds.nodes],
    },
    { ...opts.disks, dependsOn: [args.cluster] },
  );
  for (const [part, scope] of Object.entries(args.groupIds)) {
    grantRole(
      `${name}-snapshots-${part}`,
      { ...principal, roleDefinitionId: snapshotRole.id, scope, description: `Velero: disk snapshots in the ${part} resource group` },
      { ...opts.disks, dependsOn: [args.cluster] },
    );
  }
}

export interface AzureBackupArgs {
  /** Name of the stack, for the account name and the custom role's name. */
  stack: string;
  /** Subscription of the stack (its disks and Velero's snapshots). */
  subscriptionId: string;
  /** Subscription and resource group of the backup account, apart from the stack's (created here). */
  backupSubscriptionId: string;
  backupResourceGroup: string;
  /** The provider of the backup subscription, when it is not the stack's. */
  backupProvider?: Provider;
  /** Days each backup blob version is immutable (`backup.lockDays`); 0 for none. */
  immutabilityDays: number;
  /** CanNotDelete locks on the backup account. */
  lock: boolean;
  /** Location of the account (its primary region). */
  location: string;
  /** The paired region the account replicates to; unset means a locally redundant account (development only). */
  replicaRegion?: string;
  /** Whether the location has availability zones (azure.cluster.zones not empty): GZRS needs them. */
  zoned: boolean;
  /** The stack's resource group: Velero's disk snapshots live here (they outlive the cluster's node resource group). */
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
 * Velero's backup target on Azure: a storage account of its own (never Gitpod's) in a resource group of its own
 * (optionally another subscription), so one group delete cannot take data and backups together; geo-zone-redundant
 * to the paired region with read access to the secondary, versioned and immutable per version for the backups'
 * retention, soft delete, old versions deleted by a lifecycle policy, TLS 1.2, no public blobs and no shared keys
 * (Velero signs in with Entra ID), locked against deletion in production. The Velero identity gets Storage Blob Data
 * Contributor on this account only and a custom snapshot role on the two resource groups it snapshots disks in.
 */
export class AzureBackup extends pulumi.ComponentResource {
  readonly account: storage.StorageAccount;
  readonly target: BackupTarget;
  /** How resources on the backup account are created: as its children, through the backup subscription's provider. */
  readonly accountOptions: pulumi.CustomResourceOptions;

  constructor(name: string, args: AzureBackupArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:azure:Backup", name, {}, opts);
    const resourceGroupName = pulumi.output(args.resourceGroupName);
    // Everything of the account goes through the backup subscription's provider (the stack's by default).
    const inBackupSubscription = { parent: this, ...(args.backupProvider ? { provider: args.backupProvider } : {}) };
    this.accountOptions = inBackupSubscription;
    const group = new resources.ResourceGroup(
      `${name}-rg`,
      { resourceGroupName: args.backupResourceGroup, location: args.location, tags: args.tags },
      { ...inBackupSubscription, protect: args.protect },
    );
    const backupGroupName = group.name;
    this.account = new storage.StorageAccount(
      `${name}-account`,
      {
        resourceGroupName: backupGroupName,
        accountName: args.accountName ?? backupAccountName(args.stack, args.backupSubscriptionId, args.backupResourceGroup),
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
        immutableStorageWithVersioning: backupImmutability(args.immutabilityDays),
        tags: args.tags,
      },
      // An operator who locks the policy (irreversible) must not see Pulumi try to unlock it.
      { ...inBackupSubscription, protect: args.protect, ignoreChanges: ["immutableStorageWithVersioning.immutabilityPolicy.state"] },
    );
    if (args.lock) lockAgainstDelete(`${name}-lock`, this.account.id, "backups (Velero)", inBackupSubscription);
    const accountName = this.account.name;
    new storage.BlobServiceProperties(
      `${name}-blob-service`,
      {
        resourceGroupName: backupGroupName,
        accountName,
        blobServicesName: "default",
        isVersioningEnabled: true,
        deleteRetentionPolicy: { enabled: true, days: args.softDeleteDays },
        containerDeleteRetentionPolicy: { enabled: true, days: args.softDeleteDays },
      },
      inBackupSubscription,
    );
    new storage.ManagementPolicy(
      `${name}-lifecycle`,
      {
        resourceGroupName: backupGroupName,
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
      inBackupSubscription,
    );
    const container = new storage.BlobContainer(
      `${name}-container`,
      { resourceGroupName: backupGroupName, accountName, containerName: veleroContainer, publicAccess: "None" },
      // The backups themselves: deleting the container deletes them, so it is protected like the account.
      { ...inBackupSubscription, protect: args.protect },
    );

    const subscription = `/subscriptions/${args.subscriptionId}`;
    const groupIds = {
      stack: resourceGroupName.apply((group) => `${subscription}/resourceGroups/${group}`),
      nodes: `${subscription}/resourceGroups/${args.nodeResourceGroup}`,
    };
    grantVeleroAccess(
      name,
      {
        roleLabel: args.stack,
        subscriptionId: args.subscriptionId,
        backupSubscriptionId: args.backupSubscriptionId,
        accountId: this.account.id,
        principalId: args.veleroIdentity.principalId,
        groupIds,
        cluster: args.cluster,
      },
      { account: inBackupSubscription, disks: { parent: this } },
    );

    const locationConfig = (endpoints: pulumi.Output<{ blob: string }>) =>
      pulumi.all([backupGroupName, accountName, endpoints]).apply(([backupGroup, account, endpoint]): Record<string, string> => ({
        resourceGroup: backupGroup,
        storageAccount: account,
        subscriptionId: args.backupSubscriptionId,
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
