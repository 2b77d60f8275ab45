import { createHash } from "crypto";
import { ConfigError, StackConfig } from "../../config";
import { nthAddress } from "../../config/azure";

export type AzureConfig = Extract<StackConfig, { cloud: "azure" }>;

/**
 * The Azure settings of a stack with every environment-dependent default decided, as plain data: what the
 * components build from. Pure, so that the defaults and names are tested without the mock runtime.
 */
export interface AzureSettings {
  production: boolean;
  names: AzureNames;
  tags: Record<string, string>;
  cluster: {
    skuTier: "Free" | "Standard" | "Premium";
    disableLocalAccounts: boolean;
    dnsServiceIp: string;
  };
  database: {
    skuTier: MySqlSkuTier;
    geoRedundantBackup: boolean;
  };
  storage: { skuName: string };
  registry: { sku: "Basic" | "Standard" | "Premium" };
}

export interface AzureNames {
  resourceGroup: string;
  vnet: string;
  cluster: string;
  dnsPrefix: string;
  nodeResourceGroup: string;
  mysqlServer: string;
  /** Private DNS zone the MySQL server registers its private address in. */
  mysqlPrivateZone: string;
  storageAccount: string;
  registry: string;
}

/**
 * Names. Storage accounts, registries and MySQL servers are global DNS names, so their default carries a short
 * hash of subscription and stack: stable across runs, different between stacks and subscriptions.
 */
export function azureNames(stack: string, azure: AzureConfig["azure"]): AzureNames {
  const base = `gitpod-${slug(stack)}`.slice(0, 40).replace(/-+$/, "");
  const resourceGroup = azure.resourceGroupName ?? base;
  const hash = createHash("sha256").update(`${azure.subscriptionId}/${resourceGroup}/${stack}`).digest("hex").slice(0, 6);
  const alnum = `gitpod${slug(stack).replace(/-/g, "")}`;
  const mysqlServer = `${base.slice(0, 55)}-${hash}`;
  return {
    resourceGroup,
    vnet: `${base}-vnet`,
    cluster: base,
    dnsPrefix: base.slice(0, 54).replace(/-+$/, ""),
    nodeResourceGroup: `${resourceGroup}-nodes`.slice(0, 80),
    mysqlServer,
    mysqlPrivateZone: `${mysqlServer}.private.mysql.database.azure.com`,
    storageAccount: azure.storage.accountName ?? `${alnum.slice(0, 18)}${hash}`,
    registry: azure.registry.name ?? `${alnum.slice(0, 44)}${hash}`,
  };
}

export type MySqlSkuTier = "Burstable" | "GeneralPurpose" | "MemoryOptimized";

/** The Flexible Server tier a SKU belongs to: B-series burstable, D-series general purpose, E-series memory optimized. */
export function mysqlSkuTier(skuName: string): MySqlSkuTier {
  const family = /^Standard_([A-Z])/.exec(skuName)?.[1];
  switch (family) {
    case "B":
      return "Burstable";
    case "D":
      return "GeneralPurpose";
    case "E":
      return "MemoryOptimized";
  }
  throw new ConfigError([
    `gitpod-platform:database.machineType = ${JSON.stringify(skuName)}: must be an Azure Database for MySQL Flexible Server SKU such as Standard_D2ds_v4 (B, D or E series)`,
  ]);
}

/**
 * Decides the defaults that depend on the environment and checks the rules that span the shared and the azure
 * sections. Throws ConfigError (naming the keys) before any resource is registered.
 */
export function azureSettings(stack: string, config: AzureConfig): AzureSettings {
  const { azure } = config;
  const production = config.environment === "production";
  const problems: string[] = [];
  const skuTier = mysqlSkuTier(config.database.machineType);
  if (config.database.highAvailability && skuTier === "Burstable") {
    problems.push(
      `gitpod-platform:database.highAvailability = true: not available on the Burstable tier (database.machineType ${config.database.machineType}); pick a Standard_D or Standard_E SKU or turn it off`,
    );
  }
  if (config.database.version !== "8.0") {
    problems.push(
      `gitpod-platform:database.version = ${JSON.stringify(config.database.version)}: Azure Database for MySQL Flexible Server has retired 5.7; use 8.0`,
    );
  }
  if (config.database.highAvailability && azure.database.highAvailabilityMode === "ZoneRedundant" && azure.cluster.zones.length === 0) {
    problems.push(
      "gitpod-platform:azure.database.highAvailabilityMode = \"ZoneRedundant\": the stack says its region has no zones (azure.cluster.zones is empty); use SameZone",
    );
  }
  if (azure.cluster.systemPool === "services" && config.nodePools.services.minNodes < 1) {
    problems.push(
      `gitpod-platform:nodePools.services.minNodes = ${config.nodePools.services.minNodes}: the services pool is the AKS system pool (azure.cluster.systemPool: services), which needs at least 1 node`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const entra = azure.cluster.entraId.enabled;
  return {
    production,
    names: azureNames(stack, azure),
    tags: { app: "gitpod", "gitpod-stack": stack, "managed-by": "pulumi", ...azure.tags },
    cluster: {
      skuTier: azure.cluster.skuTier ?? (production ? "Standard" : "Free"),
      disableLocalAccounts: azure.cluster.disableLocalAccounts ?? (production && entra),
      dnsServiceIp: azure.network.dnsServiceIp ?? nthAddress(azure.network.serviceCidr, 10),
    },
    database: { skuTier, geoRedundantBackup: azure.database.geoRedundantBackup ?? production },
    storage: { skuName: `Standard_${azure.storage.replication ?? (production ? "GRS" : "LRS")}` },
    registry: { sku: azure.registry.sku ?? (production ? "Premium" : "Standard") },
  };
}

function slug(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
}
