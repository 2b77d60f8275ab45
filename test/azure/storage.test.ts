import { GitpodBlobStorage } from "../../components/azure/storage";
import { fakeSecretMarker } from "../../scripts/plan/fakes/random";
import { Plan } from "../../scripts/plan/run";
import { onlyResource } from "../helpers";
import { inputs, planComponent } from "./fixtures";

function planStorage(skuName: string, protect: boolean): Promise<Plan> {
  return planComponent(() => {
    const storage = new GitpodBlobStorage("s", {
      resourceGroupName: "gitpod-test",
      location: "westeurope",
      accountName: "gitpodtestabc123",
      skuName,
      softDeleteDays: 14,
      noncurrentVersionDays: 7,
      protect,
      lock: protect,
      tags: { app: "gitpod" },
    });
    if (storage.objectStorage.kind !== "azure") throw new Error("expected azure object storage");
    return { accountName: storage.objectStorage.accountName, accountKey: storage.objectStorage.accountKey };
  });
}

describe("Gitpod blob storage", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await planStorage("Standard_GRS", true);
  });

  it("is a geo-redundant StorageV2 account without public blob access, HTTPS and TLS 1.2 only, protected", () => {
    const account = onlyResource(plan, "azure-native:storage:StorageAccount");
    expect(inputs(account)).toMatchObject({
      accountName: "gitpodtestabc123",
      kind: "StorageV2",
      sku: { name: "Standard_GRS" },
      allowBlobPublicAccess: false,
      enableHttpsTrafficOnly: true,
      minimumTlsVersion: "TLS1_2",
      allowCrossTenantReplication: false,
      allowSharedKeyAccess: true,
    });
    expect(account.options.protect).toBe(true);
  });

  it("versions blobs and keeps deleted blobs and containers recoverable", () => {
    const service = inputs(onlyResource(plan, "azure-native:storage:BlobServiceProperties"));
    expect(service).toMatchObject({
      blobServicesName: "default",
      isVersioningEnabled: true,
      deleteRetentionPolicy: { enabled: true, days: 14 },
      containerDeleteRetentionPolicy: { enabled: true, days: 14 },
    });
  });

  it("hands Gitpod the account name and a key that stays secret", () => {
    expect(plan.outputs.accountName).toBe("gitpodtestabc123");
    expect(plan.outputs.accountKey).toBe("[secret]");
    expect(JSON.stringify(plan)).not.toContain(fakeSecretMarker);
  });

  it("is locally redundant and unprotected in development", async () => {
    const dev = await planStorage("Standard_LRS", false);
    const account = onlyResource(dev, "azure-native:storage:StorageAccount");
    expect(inputs(account).sku).toEqual({ name: "Standard_LRS" });
    expect(account.options.protect).toBe(false);
  });

  it("deletes previous blob versions after the configured days, so overwritten backups and deleted data do not pile up", () => {
    // Gitpod overwrites full.tar on every workspace stop; with versioning and no rule every version stayed forever.
    const policy = inputs(onlyResource(plan, "azure-native:storage:ManagementPolicy"));
    expect(policy).toMatchObject({ accountName: "gitpodtestabc123", managementPolicyName: "default" });
    expect(policy.policy.rules).toEqual([
      {
        name: "delete-previous-versions",
        enabled: true,
        type: "Lifecycle",
        definition: { actions: { version: { delete: { daysAfterCreationGreaterThan: 7 } } }, filters: { blobTypes: ["blockBlob"] } },
      },
    ]);
  });

  it("locks the account against deletion outside Pulumi in production only", async () => {
    expect(inputs(onlyResource(plan, "azure-native:authorization:ManagementLockByScope"))).toMatchObject({ scope: "s-account-id", level: "CanNotDelete" });
    const dev = await planStorage("Standard_LRS", false);
    expect(dev.resources.filter((r) => r.type === "azure-native:authorization:ManagementLockByScope")).toHaveLength(0);
  });
});
