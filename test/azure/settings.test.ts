import { azureNames, azureSettings, mysqlSkuTier } from "../../components/azure/settings";
import { ConfigError } from "../../config";
import { azureConfig, subscriptionId } from "./fixtures";

describe("azure names", () => {
  const azure = azureConfig().azure;

  it("derives every name from the stack, within Azure's rules", () => {
    const names = azureNames("azure-prod", azure);
    expect(names.resourceGroup).toBe("gitpod-azure-prod");
    expect(names.cluster).toBe("gitpod-azure-prod");
    expect(names.nodeResourceGroup).toBe("gitpod-azure-prod-nodes");
    expect(names.storageAccount).toMatch(/^[a-z0-9]{3,24}$/);
    expect(names.registry).toMatch(/^[a-zA-Z0-9]{5,50}$/);
    expect(names.mysqlServer).toMatch(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/);
    expect(names.mysqlPrivateZone).toBe(`${names.mysqlServer}.private.mysql.database.azure.com`);
  });

  it("keeps global names stable for a stack and distinct between stacks and subscriptions", () => {
    const a = azureNames("azure-prod", azure);
    expect(azureNames("azure-prod", azure)).toEqual(a);
    const otherStack = azureNames("azure-dev", azure);
    const otherSubscription = azureNames("azure-prod", { ...azure, subscriptionId: "00000000-0000-4000-8000-000000000001" });
    for (const key of ["storageAccount", "registry", "mysqlServer"] as const) {
      expect(otherStack[key]).not.toBe(a[key]);
      expect(otherSubscription[key]).not.toBe(a[key]);
    }
  });

  it("fits long stack names into the 24-character storage account limit", () => {
    const names = azureNames("a-very-long-stack-name-for-testing-limits", azure);
    expect(names.storageAccount.length).toBeLessThanOrEqual(24);
    expect(names.storageAccount).toMatch(/^[a-z0-9]+$/);
    expect(names.dnsPrefix.length).toBeLessThanOrEqual(54);
  });

  it("uses the names the config gives", () => {
    const custom = azureConfig({}, { resourceGroupName: "rg-gitpod", storage: { accountName: "mygitpodblobs" }, registry: { name: "MyGitpodAcr" } }).azure;
    const names = azureNames("azure-prod", custom);
    expect(names).toMatchObject({ resourceGroup: "rg-gitpod", storageAccount: "mygitpodblobs", registry: "MyGitpodAcr", nodeResourceGroup: "rg-gitpod-nodes" });
  });
});

describe("azure settings", () => {
  it("maps Flexible Server SKUs to their tier", () => {
    expect(mysqlSkuTier("Standard_B2ms")).toBe("Burstable");
    expect(mysqlSkuTier("Standard_D2ds_v4")).toBe("GeneralPurpose");
    expect(mysqlSkuTier("Standard_E4ds_v5")).toBe("MemoryOptimized");
    expect(() => mysqlSkuTier("db.m6i.large")).toThrow(/database.machineType/);
  });

  it("turns on what production needs by default", () => {
    const s = azureSettings("p", azureConfig());
    expect(s).toMatchObject({
      production: true,
      cluster: { skuTier: "Standard", disableLocalAccounts: true, dnsServiceIp: "172.16.0.10" },
      database: { skuTier: "GeneralPurpose", geoRedundantBackup: true },
      storage: { skuName: "Standard_GRS" },
      registry: { sku: "Premium" },
    });
    expect(s.tags).toEqual({ app: "gitpod", "gitpod-stack": "p", "managed-by": "pulumi" });
  });

  it("keeps development small and local", () => {
    const s = azureSettings("d", azureConfig({ environment: "development" }));
    expect(s).toMatchObject({
      production: false,
      cluster: { skuTier: "Free", disableLocalAccounts: false },
      database: { geoRedundantBackup: false },
      storage: { skuName: "Standard_LRS" },
      registry: { sku: "Standard" },
    });
  });

  it("never disables local accounts by default when Entra ID is off", () => {
    const s = azureSettings("p", azureConfig({}, { cluster: { entraId: { enabled: false } } }));
    expect(s.cluster.disableLocalAccounts).toBe(false);
  });

  it("honours explicit settings over the environment defaults", () => {
    const s = azureSettings(
      "p",
      azureConfig({}, { tags: { team: "dev-tools" }, storage: { replication: "ZRS" }, registry: { sku: "Basic" }, cluster: { skuTier: "Premium" }, network: { dnsServiceIp: "172.16.0.53" } }),
    );
    expect(s.storage.skuName).toBe("Standard_ZRS");
    expect(s.registry.sku).toBe("Basic");
    expect(s.cluster.skuTier).toBe("Premium");
    expect(s.cluster.dnsServiceIp).toBe("172.16.0.53");
    expect(s.tags.team).toBe("dev-tools");
  });

  it.each([
    [{ database: { machineType: "Standard_B2ms", highAvailability: true } }, {}, /database.highAvailability = true: not available on the Burstable tier/],
    [{ database: { version: "5.7" } }, {}, /database.version = "5.7": .*paid extended support/],
    [{ database: { highAvailability: true } }, { cluster: { zones: [] } }, /azure.database.highAvailabilityMode = "ZoneRedundant"/],
    [{ nodePools: { services: { minNodes: 0 } } }, {}, /nodePools.services.minNodes = 0: the services pool is the AKS system pool/],
    // facts/azure/aks-os-skus.json: Ubuntu2204 is offered on 1.25 to 1.36 only.
    [{ cluster: { kubernetesVersion: "1.37" } }, {}, /azure.cluster.osSku = "Ubuntu2204": AKS offers it on Kubernetes 1.25 to 1.36, not 1.37/],
    // AKS Long Term Support needs the Premium tier, and Ubuntu 24.04 pools from 1.33.
    [{ cluster: { kubernetesVersion: "1.33", supportPlan: "extended" } }, { cluster: { skuTier: "Standard", osSku: "Ubuntu" } }, /azure.cluster.skuTier = "Standard": .*needs the Premium tier/],
    [{ cluster: { kubernetesVersion: "1.33", supportPlan: "extended" } }, {}, /azure.cluster.osSku = "Ubuntu2204": AKS Long Term Support .* needs Ubuntu 24.04/],
    [{}, { resourceGroupName: "shared", backup: { resourceGroupName: "shared" } }, /azure.backup.resourceGroupName = "shared": must differ from the stack's/],
  ])("rejects %j / %j", (overrides, azure, message) => {
    const config = azureConfig(overrides, azure);
    expect(() => azureSettings("p", config)).toThrow(ConfigError);
    expect(() => azureSettings("p", config)).toThrow(message);
  });

  it("accepts a services pool scaled to zero when a dedicated system pool carries the system pods", () => {
    expect(() => azureSettings("p", azureConfig({ nodePools: { services: { minNodes: 0 } } }, { cluster: { systemPool: "dedicated" } }))).not.toThrow();
  });

  it("maps cluster.supportPlan to the AKS tier and plan: standard is KubernetesOfficial, extended is Premium with LTS", () => {
    expect(azureSettings("p", azureConfig()).cluster).toMatchObject({ skuTier: "Standard", supportPlan: "KubernetesOfficial" });
    const lts = azureSettings("p", azureConfig({ cluster: { kubernetesVersion: "1.34", supportPlan: "extended" } }, { cluster: { osSku: "Ubuntu" } }));
    expect(lts.cluster).toMatchObject({ skuTier: "Premium", supportPlan: "AKSLongTermSupport" });
  });

  it("keeps Velero's account apart and locked in production; unlocked in development", () => {
    const prod = azureSettings("p", azureConfig());
    expect(prod.names.backupResourceGroup).toBe("gitpod-p-backup");
    expect(prod.backup).toEqual({ subscriptionId });
    expect(prod.resourceLocks).toBe(true);
    const dev = azureSettings("d", azureConfig({ environment: "development", backup: {} }));
    expect(dev.resourceLocks).toBe(false);
    const other = "87654321-4321-4321-8321-cba987654321";
    expect(azureSettings("p", azureConfig({}, { backup: { subscriptionId: other } })).backup.subscriptionId).toBe(other);
  });
});
