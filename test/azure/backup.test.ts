import * as managedidentity from "@pulumi/azure-native/managedidentity";
import * as resources from "@pulumi/azure-native/resources";
import {
  AzureBackup,
  backupAccountSku,
  veleroAzureCredentialsFile,
  veleroContainer,
  veleroSnapshotActions,
} from "../../components/azure/backup";
import { azureSettings, backupAccountName } from "../../components/azure/settings";
import { BackupTarget } from "../../components/platform";
import { veleroPlugins } from "../../components/veleroPlugins";
import { parseStackConfig } from "../../config";
import { Plan } from "../../scripts/plan/run";
import { readStackFile } from "../../scripts/plan/stackFile";
import { committedPlan, configValues, onlyResource, resourceNamed, resourcesOfType, valueOf } from "../helpers";
import { azureConfig, inputs, planComponent, subscriptionId } from "./fixtures";

const storageBlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";

async function planBackup(options: { replicaRegion?: string; zoned?: boolean; protect?: boolean; immutabilityDays?: number } = {}): Promise<{ plan: Plan; target: BackupTarget }> {
  let target: BackupTarget | undefined;
  const plan = await planComponent(() => {
    const veleroIdentity = new managedidentity.UserAssignedIdentity("velero", { resourceGroupName: "gitpod-test", resourceName: "gitpod-test-velero" });
    const cluster = new resources.ResourceGroup("cluster-stand-in", { resourceGroupName: "stand-in" });
    const backup = new AzureBackup("b", {
      stack: "test",
      subscriptionId,
      backupSubscriptionId: subscriptionId,
      backupResourceGroup: "gitpod-test-backup",
      immutabilityDays: options.immutabilityDays ?? 30,
      lock: options.protect ?? true,
      location: "westeurope",
      replicaRegion: options.replicaRegion,
      zoned: options.zoned ?? true,
      resourceGroupName: "gitpod-test",
      nodeResourceGroup: "gitpod-test-nodes",
      noncurrentVersionDays: 45,
      softDeleteDays: 14,
      veleroIdentity,
      cluster,
      protect: options.protect ?? true,
      tags: { app: "gitpod" },
    });
    target = backup.target;
  });
  return { plan, target: target! };
}

describe("Azure backup storage (production)", () => {
  let plan: Plan;
  let target: BackupTarget;
  beforeAll(async () => {
    ({ plan, target } = await planBackup({ replicaRegion: "northeurope" }));
  });

  it("is a geo-zone-redundant account with a readable secondary, TLS 1.2, no public blobs and no shared keys, protected", () => {
    const account = onlyResource(plan, "azure-native:storage:StorageAccount");
    expect(inputs(account)).toMatchObject({
      accountName: backupAccountName("test", subscriptionId, "gitpod-test-backup"),
      kind: "StorageV2",
      sku: { name: "Standard_RAGZRS" },
      enableHttpsTrafficOnly: true,
      minimumTlsVersion: "TLS1_2",
      allowBlobPublicAccess: false,
      allowSharedKeyAccess: false,
      allowCrossTenantReplication: false,
    });
    expect(account.options.protect).toBe(true);
  });

  it("lives in a resource group of its own, so deleting the stack's group cannot take the backups along", () => {
    const group = resourceNamed(plan, "azure-native:resources:ResourceGroup", "b-rg");
    expect(inputs(group).resourceGroupName).toBe("gitpod-test-backup");
    expect(group.options.protect).toBe(true);
    expect(inputs(onlyResource(plan, "azure-native:storage:StorageAccount")).resourceGroupName).toBe("gitpod-test-backup");
  });

  it("makes every backup version immutable for the retention, unlocked, and never fights an operator's lock", () => {
    const account = onlyResource(plan, "azure-native:storage:StorageAccount");
    expect(inputs(account).immutableStorageWithVersioning).toEqual({
      enabled: true,
      immutabilityPolicy: { immutabilityPeriodSinceCreationInDays: 30, state: "Unlocked", allowProtectedAppendWrites: false },
    });
    expect(account.options.ignoreChanges).toContain("immutableStorageWithVersioning.immutabilityPolicy.state");
  });

  it("locks the backup account against deletion outside Pulumi", () => {
    const lock = inputs(onlyResource(plan, "azure-native:authorization:ManagementLockByScope"));
    expect(lock).toMatchObject({ scope: "b-account-id", level: "CanNotDelete" });
  });

  it("versions blobs, soft-deletes blobs and containers, and deletes old versions after the configured days", () => {
    const service = inputs(onlyResource(plan, "azure-native:storage:BlobServiceProperties"));
    expect(service).toMatchObject({
      isVersioningEnabled: true,
      deleteRetentionPolicy: { enabled: true, days: 14 },
      containerDeleteRetentionPolicy: { enabled: true, days: 14 },
    });
    const [rule] = inputs(onlyResource(plan, "azure-native:storage:ManagementPolicy")).policy.rules;
    expect(rule).toMatchObject({ enabled: true, type: "Lifecycle", definition: { actions: { version: { delete: { daysAfterCreationGreaterThan: 45 } } } } });
  });

  it("has a private container for Velero", () => {
    const container = onlyResource(plan, "azure-native:storage:BlobContainer");
    expect(inputs(container)).toMatchObject({ containerName: "velero", publicAccess: "None" });
    expect(container.options.protect).toBe(true);
  });

  it("grants Velero blob data access on its account only, and the snapshot role on the stack and node resource groups only", () => {
    const assignments = resourcesOfType(plan, "azure-native:authorization:RoleAssignment").map(inputs);
    const blob = assignments.find((a) => String(a.roleDefinitionId).endsWith(storageBlobDataContributor));
    expect(blob).toMatchObject({ scope: "b-account-id", principalType: "ServicePrincipal" });
    const snapshotScopes = assignments.filter((a) => a.roleDefinitionId === "b-snapshot-role-id").map((a) => a.scope);
    expect(snapshotScopes.sort()).toEqual([`/subscriptions/${subscriptionId}/resourceGroups/gitpod-test`, `/subscriptions/${subscriptionId}/resourceGroups/gitpod-test-nodes`]);
    expect(assignments).toHaveLength(3);
    const principal = assignments.map((a) => a.principalId);
    expect(new Set(principal).size).toBe(1);

    const role = inputs(onlyResource(plan, "azure-native:authorization:RoleDefinition"));
    expect(role.permissions).toEqual([{ actions: veleroSnapshotActions, notActions: [], dataActions: [], notDataActions: [] }]);
    expect(role.assignableScopes.sort()).toEqual(snapshotScopes.sort());
    expect(veleroSnapshotActions.every((a) => a.startsWith("Microsoft.Compute/"))).toBe(true);
  });

  it("waits for the cluster before granting on its node resource group", () => {
    const standIn = resourceNamed(plan, "azure-native:resources:ResourceGroup", "cluster-stand-in").urn;
    expect(onlyResource(plan, "azure-native:authorization:RoleDefinition").dependencies).toContain(standIn);
    expect(resourceNamed(plan, "azure-native:authorization:RoleAssignment", "b-snapshots-nodes").dependencies).toContain(standIn);
  });

  it("hands Velero the Azure provider, the pinned plugin, the container, AAD sign-in and snapshots kept outside the node group", async () => {
    expect(target.provider).toBe("velero.io/azure");
    expect(target.pluginImage).toBe(`${veleroPlugins.azure.repository}:${veleroPlugins.azure.tag}`);
    expect(await valueOf(target.bucket)).toBe(veleroContainer);
    const account = backupAccountName("test", subscriptionId, "gitpod-test-backup");
    expect(await valueOf(target.config)).toEqual({
      resourceGroup: "gitpod-test-backup",
      storageAccount: account,
      subscriptionId,
      useAAD: "true",
      storageAccountURI: `https://${account}.blob.core.windows.net/`,
    });
    expect(await valueOf(target.snapshotConfig)).toEqual({ resourceGroup: "gitpod-test", subscriptionId, incremental: "true" });
    expect(await valueOf(target.credentialsFile!)).toBe(
      `AZURE_SUBSCRIPTION_ID=${subscriptionId}\nAZURE_RESOURCE_GROUP=gitpod-test-nodes\nAZURE_CLOUD_NAME=AzurePublicCloud\n`,
    );
    await expect(pulumiIsSecret(target.credentialsFile!)).resolves.toBe(true);
  });

  it("offers the read-access secondary endpoint in the paired region as the replica location", async () => {
    const account = backupAccountName("test", subscriptionId, "gitpod-test-backup");
    expect(await valueOf(target.replica!.bucket)).toBe(veleroContainer);
    expect(await valueOf(target.replica!.config)).toEqual({
      resourceGroup: "gitpod-test-backup",
      storageAccount: account,
      subscriptionId,
      useAAD: "true",
      storageAccountURI: `https://${account}-secondary.blob.core.windows.net/`,
    });
  });
});

async function pulumiIsSecret(output: import("@pulumi/pulumi").Output<unknown>): Promise<boolean> {
  return (output as unknown as { isSecret: Promise<boolean> }).isSecret;
}

describe("Azure backup storage SKU and names", () => {
  it("is RA-GZRS with zones, RA-GRS without, and LRS without a replica region", () => {
    expect(backupAccountSku(true, true)).toBe("Standard_RAGZRS");
    expect(backupAccountSku(true, false)).toBe("Standard_RAGRS");
    expect(backupAccountSku(false, true)).toBe("Standard_LRS");
  });

  it("names the account within Azure's 24 lowercase letters and digits, differently per stack", () => {
    const name = backupAccountName("Very_Long-Production-Stack-Name", subscriptionId, "rg");
    expect(name).toMatch(/^[a-z0-9]{3,24}$/);
    expect(backupAccountName("a", subscriptionId, "rg")).not.toBe(backupAccountName("b", subscriptionId, "rg"));
    expect(veleroAzureCredentialsFile("s", "g")).not.toMatch(/SECRET|KEY/);
  });

  it("is unprotected and locally redundant in development without a replica region", async () => {
    const { plan, target } = await planBackup({ protect: false });
    expect(target.replica).toBeUndefined();
    const account = onlyResource(plan, "azure-native:storage:StorageAccount");
    expect(inputs(account).sku).toEqual({ name: "Standard_LRS" });
    expect(account.options.protect).toBe(false);
    expect(onlyResource(plan, "azure-native:storage:BlobContainer").options.protect).toBe(false);
  });
});

describe("Azure replica region and database geo-redundant backup (config)", () => {
  it("takes only the location's paired region", () => {
    expect(() => azureConfig({ backup: { replicaRegion: "germanywestcentral" } })).toThrow(
      'gitpod-platform:backup.replicaRegion = "germanywestcentral": must be northeurope: geo-redundant storage and MySQL geo-redundant backup of westeurope always go to its paired region, northeurope',
    );
  });

  it("turns MySQL geo-redundant backup on in production", () => {
    expect(azureSettings("test", azureConfig()).database.geoRedundantBackup).toBe(true);
  });
});

describe("the azure-prod stack's backup", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await committedPlan("azure-prod");
  });

  it("has Velero's RA-GZRS account, separate from Gitpod's, protected, and MySQL with geo-redundant backup", () => {
    const accounts = resourcesOfType(plan, "azure-native:storage:StorageAccount");
    expect(accounts).toHaveLength(2);
    const velero = resourceNamed(plan, "azure-native:storage:StorageAccount", "azure-prod-backup-account");
    expect(inputs(velero).sku).toEqual({ name: "Standard_RAGZRS" });
    expect(velero.options.protect).toBe(true);
    const gitpod = accounts.find((a) => a.urn !== velero.urn)!;
    expect(inputs(gitpod).accountName).not.toBe(inputs(velero).accountName);
    const server = onlyResource(plan, "azure-native:dbformysql:Server");
    expect(inputs(server).backup).toMatchObject({ geoRedundantBackup: "Enabled", backupRetentionDays: 14 });
    expect(server.options.protect).toBe(true);
  });

  it("rejects a location without a pair", () => {
    const { values } = readStackFile("azure-prod");
    const overrides = configValues({ azure: { location: "polandcentral", subscriptionId: "00000000-0000-4000-8000-000000000000" } });
    expect(() => parseStackConfig({ ...values, ...overrides })).toThrow(/backup\.replicaRegion = "northeurope": azure\.location polandcentral has no paired region/);
  });
});
