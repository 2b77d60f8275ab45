import { createHash } from "crypto";
import { ConfigError, StackConfig } from "../../config";
import { nthAddress } from "../../config/azure";
import aksOsSkus from "../../facts/azure/aks-os-skus.json";
import mysqlVersions from "../../facts/azure/mysql-versions.json";
import { AzureReplicaSettings, replicaSiteProblems, replicaSiteSettings } from "./replicaSettings";

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
    /** AKS support plan: Long Term Support only when cluster.supportPlan is `extended` (Premium tier). */
    supportPlan: "KubernetesOfficial" | "AKSLongTermSupport";
    disableLocalAccounts: boolean;
    dnsServiceIp: string;
  };
  database: {
    skuTier: MySqlSkuTier;
    geoRedundantBackup: boolean;
  };
  storage: { skuName: string };
  registry: { sku: "Basic" | "Standard" | "Premium" };
  /** Velero's backup account: the subscription it lives in. */
  backup: { subscriptionId: string };
  /** CanNotDelete locks on the data resources. */
  resourceLocks: boolean;
  /** The site `backup.failover` builds in the paired region; undefined without `backup.replicaRegion`. */
  replicaSite?: AzureReplicaSettings;
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
  /** Resource group of Velero's backup account, apart from the stack's. */
  backupResourceGroup: string;
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
    backupResourceGroup: azure.backup.resourceGroupName ?? `${resourceGroup.slice(0, 83)}-backup`,
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
      `gitpod-platform:database.version = ${JSON.stringify(config.database.version)}: the stack creates MySQL 8.0 servers (5.7 left community support on ${mysqlVersions.versions["5.7"].communityRetirement} and is in Azure's paid extended support); use 8.0`,
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
  const geoRedundantBackup = azure.database.geoRedundantBackup ?? production;
  const storageSku = `Standard_${azure.storage.replication ?? (production ? "GRS" : "LRS")}`;
  const registrySku = azure.registry.sku ?? (production ? "Premium" : "Standard");
  problems.push(
    ...clusterVersionProblems(config),
    ...backupProblems(stack, config),
    ...replicaSiteProblems(config, { geoRedundantBackup, storageSku, registrySku }),
  );
  if (problems.length > 0) throw new ConfigError(problems);

  const entra = azure.cluster.entraId.enabled;
  const names = azureNames(stack, azure);
  return {
    production,
    names,
    tags: { app: "gitpod", "gitpod-stack": stack, "managed-by": "pulumi", ...azure.tags },
    cluster: {
      // AKS Long Term Support exists only on the Premium tier (aks docs long-term-support.md).
      skuTier: azure.cluster.skuTier ?? (config.cluster.supportPlan === "extended" ? "Premium" : production ? "Standard" : "Free"),
      supportPlan: config.cluster.supportPlan === "extended" ? "AKSLongTermSupport" : "KubernetesOfficial",
      disableLocalAccounts: azure.cluster.disableLocalAccounts ?? (production && entra),
      dnsServiceIp: azure.network.dnsServiceIp ?? nthAddress(azure.network.serviceCidr, 10),
    },
    database: { skuTier, geoRedundantBackup },
    storage: { skuName: storageSku },
    registry: { sku: registrySku },
    backup: { subscriptionId: azure.backup.subscriptionId ?? azure.subscriptionId },
    resourceLocks: azure.resourceLocks ?? production,
    replicaSite: replicaSiteSettings(config, names),
  };
}

/** A Kubernetes minor version as a number pair for comparisons ("1.35.2" -> [1, 35]). */
function minorOf(version: string): [number, number] {
  const [major, minor] = version.split(".").map(Number);
  return [major, minor];
}

function compareMinor(a: string, b: string): number {
  const [am, an] = minorOf(a);
  const [bm, bn] = minorOf(b);
  return am !== bm ? am - bm : an - bn;
}

/** The pinned version against the OS SKU's supported range and the LTS rules (facts/azure/aks-os-skus.json). */
function clusterVersionProblems(config: AzureConfig): string[] {
  const { kubernetesVersion, supportPlan } = config.cluster;
  const { osSku, skuTier } = config.azure.cluster;
  const problems: string[] = [];
  const range = aksOsSkus.osSkus[osSku].kubernetes;
  if (compareMinor(kubernetesVersion, range.min) < 0 || (range.max !== null && compareMinor(kubernetesVersion, range.max) > 0)) {
    problems.push(
      `gitpod-platform:azure.cluster.osSku = "${osSku}": AKS offers it on Kubernetes ${range.min} to ${range.max ?? "latest"}, not ${kubernetesVersion} (cluster.kubernetesVersion); use Ubuntu`,
    );
  }
  if (supportPlan === "extended" && skuTier !== undefined && skuTier !== "Premium") {
    problems.push(
      `gitpod-platform:azure.cluster.skuTier = "${skuTier}": cluster.supportPlan extended is AKS Long Term Support, which needs the Premium tier; set Premium or leave skuTier unset`,
    );
  }
  if (supportPlan === "extended" && osSku === "Ubuntu2204" && compareMinor(kubernetesVersion, aksOsSkus.ltsNeedsUbuntu2404From) >= 0) {
    problems.push(
      `gitpod-platform:azure.cluster.osSku = "Ubuntu2204": AKS Long Term Support (cluster.supportPlan extended) on Kubernetes ${aksOsSkus.ltsNeedsUbuntu2404From} or later needs Ubuntu 24.04 pools; use Ubuntu`,
    );
  }
  return problems;
}

/** Velero's backup account: apart from the stack's resource group (its immutability is `backup.lockDays`, config/backupLock.ts). */
function backupProblems(stack: string, config: AzureConfig): string[] {
  const { azure } = config;
  const problems: string[] = [];
  const names = azureNames(stack, azure);
  const sameSubscription = (azure.backup.subscriptionId ?? azure.subscriptionId) === azure.subscriptionId;
  if (sameSubscription && [names.resourceGroup, names.nodeResourceGroup].includes(names.backupResourceGroup)) {
    problems.push(
      `gitpod-platform:azure.backup.resourceGroupName = "${names.backupResourceGroup}": must differ from the stack's and the nodes' resource groups, or one group delete removes data and backups together`,
    );
  }
  return problems;
}

function slug(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
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
