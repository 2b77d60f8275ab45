import * as pulumi from "@pulumi/pulumi";
import * as storage from "@pulumi/azure-native/storage";
import { ObjectStorage } from "../platform";
import { lockAgainstDelete } from "./locks";

export interface GitpodBlobStorageArgs {
  /** Resource group of the account. */
  resourceGroupName: pulumi.Input<string>;
  /** Location of the account. */
  location: string;
  /** Account name (global, 3-24 lowercase letters and digits). */
  accountName: string;
  /** SKU name, i.e. replication: Standard_GRS in production, Standard_LRS otherwise. */
  skuName: string;
  /** Days deleted blobs and containers stay recoverable. */
  softDeleteDays: number;
  /** Days a previous blob version is kept before the lifecycle policy deletes it. */
  noncurrentVersionDays: number;
  /** Protect the account (Pulumi protect). */
  protect: boolean;
  /** A CanNotDelete lock on the account. */
  lock: boolean;
  /**
   * The account was failed over to the paired region (`backup.failover`): an unplanned account failover moves its
   * primary there and converts it to LRS (storage-disaster-recovery-guidance.md), so location and SKU are no longer
   * what the program declares. A refreshed state would otherwise make the next `pulumi up` replace the protected
   * account (location is force-new) or ask Azure for a GZRS conversion it refuses in a PATCH.
   */
  failedOver?: boolean;
  /** Tags for the account. */
  tags: Record<string, string>;
}

/**
 * The lifecycle rule for Gitpod's account: Gitpod overwrites one object per workspace on every stop
 * (content-service `DefaultBackup = "full.tar"`, 2022.11.3) and its own deletions remove only the current version, so
 * previous versions are deleted after `days`: storage stays bounded and deleted users' data is really gone (after
 * this plus the soft-delete days). Pure.
 */
export function previousVersionsRule(days: number) {
  return {
    name: "delete-previous-versions",
    enabled: true,
    type: "Lifecycle",
    definition: {
      actions: { version: { delete: { daysAfterCreationGreaterThan: days } } },
      filters: { blobTypes: ["blockBlob"] },
    },
  };
}

/**
 * The storage account Gitpod keeps workspace content and logs in (Gitpod creates its containers itself): StorageV2,
 * HTTPS and TLS 1.2 only, no anonymous blob access, blob versioning and soft delete for blobs and containers, previous
 * versions deleted by a lifecycle rule. Gitpod 2022.11 reaches it through its in-cluster MinIO Azure gateway with
 * the account name and key (installer `useMinio` for `objectStorage.azure`), so shared key access stays on.
 */
export class GitpodBlobStorage extends pulumi.ComponentResource {
  readonly account: storage.StorageAccount;
  readonly objectStorage: ObjectStorage;

  constructor(name: string, args: GitpodBlobStorageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:azure:Storage", name, {}, opts);
    this.account = new storage.StorageAccount(
      `${name}-account`,
      {
        resourceGroupName: args.resourceGroupName,
        accountName: args.accountName,
        location: args.location,
        kind: "StorageV2",
        sku: { name: args.skuName },
        accessTier: "Hot",
        enableHttpsTrafficOnly: true,
        minimumTlsVersion: "TLS1_2",
        allowBlobPublicAccess: false,
        allowSharedKeyAccess: true,
        allowCrossTenantReplication: false,
        tags: args.tags,
      },
      { parent: this, protect: args.protect, ...(args.failedOver ? { ignoreChanges: ["location", "sku"] } : {}) },
    );
    new storage.BlobServiceProperties(
      `${name}-blob-service`,
      {
        resourceGroupName: args.resourceGroupName,
        accountName: this.account.name,
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
        accountName: this.account.name,
        managementPolicyName: "default",
        policy: { rules: [previousVersionsRule(args.noncurrentVersionDays)] },
      },
      { parent: this },
    );
    if (args.lock) lockAgainstDelete(`${name}-lock`, this.account.id, "workspace content", { parent: this });
    const keys = storage.listStorageAccountKeysOutput(
      { resourceGroupName: args.resourceGroupName, accountName: this.account.name },
      { parent: this },
    );
    this.objectStorage = {
      kind: "azure",
      accountName: this.account.name,
      accountKey: pulumi.secret(keys.keys.apply((list) => list[0].value)),
    };
    this.registerOutputs({ accountName: this.account.name });
  }
}
