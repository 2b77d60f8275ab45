import * as pulumi from "@pulumi/pulumi";
import * as storage from "@pulumi/azure-native/storage";
import { ObjectStorage } from "../platform";

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
  /** Protect the account (Pulumi protect). */
  protect: boolean;
  /** Tags for the account. */
  tags: Record<string, string>;
}

/**
 * The storage account Gitpod keeps workspace content and logs in (Gitpod creates its containers itself): StorageV2,
 * HTTPS and TLS 1.2 only, no anonymous blob access, blob versioning and soft delete for blobs and containers.
 * Gitpod's installer authenticates to Azure Blob with the account name and key, so shared key access stays on.
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
      { parent: this, protect: args.protect },
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
