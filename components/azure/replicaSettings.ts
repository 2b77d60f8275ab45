import { replicaNetworkOf } from "../../config/azure";
import { azure as azureFacts } from "../../config/validate/facts";
import type { AzureConfig, AzureNames } from "./settings";

/** What the replica site (`backup.failover`) is built from, decided: region, zones, ranges and names. */
export interface AzureReplicaSettings {
  location: string;
  zones: string[];
  network: { vnetCidr: string; clusterSubnetCidr: string; databaseSubnetCidr: string };
  names: Pick<AzureNames, "resourceGroup" | "vnet" | "cluster" | "dnsPrefix" | "nodeResourceGroup" | "mysqlServer" | "mysqlPrivateZone">;
}

/**
 * The replica site's settings, or undefined without `backup.replicaRegion`. Its resource group is new and in the
 * paired region: ARM routes every control-plane write through a resource group's location (azure-resource-manager
 * overview.md), so nothing new can go into the lost region's group. The cluster's name differs from the primary's, so
 * the Kubernetes layer is created anew on it. Pure.
 */
export function replicaSiteSettings(config: AzureConfig, names: AzureNames): AzureReplicaSettings | undefined {
  const location = config.backup.replicaRegion;
  if (location === undefined) return undefined;
  const { replicaSite } = config.azure;
  const resourceGroup = `${names.resourceGroup.slice(0, 82)}-replica`;
  const mysqlServer = names.mysqlServer.replace(/-([0-9a-f]{6})$/, "-replica-$1");
  return {
    location,
    zones: replicaSite.zones ?? (azureFacts.locations[location]?.zones ? ["1", "2", "3"] : []),
    network: replicaNetworkOf(config.azure),
    names: {
      resourceGroup,
      vnet: `${names.cluster}-replica-vnet`,
      cluster: `${names.cluster}-replica`,
      dnsPrefix: `${names.dnsPrefix.slice(0, 46)}-replica`,
      nodeResourceGroup: `${resourceGroup}-nodes`.slice(0, 80),
      mysqlServer,
      mysqlPrivateZone: `${mysqlServer}.private.mysql.database.azure.com`,
    },
  };
}

/**
 * The rules of the replica site, checked whenever there is a replica region (so a wrong key shows long before a
 * disaster), and what a failover needs to have existed before the region was lost. Pure.
 */
export function replicaSiteProblems(config: AzureConfig, settings: { geoRedundantBackup: boolean; storageSku: string; registrySku: string }): string[] {
  const { azure, backup } = config;
  const location = backup.replicaRegion;
  if (location === undefined) return [];
  const problems: string[] = [];
  const zones = azure.replicaSite.zones;
  if (zones !== undefined && zones.length > 0 && azureFacts.locations[location]?.zones === false) {
    problems.push(
      `gitpod-platform:azure.replicaSite.zones = ${JSON.stringify(zones)}: backup.replicaRegion ${location} has no availability zones (facts/azure/locations.json); use []`,
    );
  }
  if (!backup.failover) return problems;
  if (!settings.geoRedundantBackup) {
    problems.push(
      "gitpod-platform:backup.failover = true: the MySQL server has no geo-redundant backup (azure.database.geoRedundantBackup false, settable only at creation), so there is nothing to geo-restore in the paired region; restore a dump by hand instead",
    );
  }
  if (!/GRS|GZRS/.test(settings.storageSku)) {
    problems.push(
      `gitpod-platform:backup.failover = true: Gitpod's storage account is ${settings.storageSku} (azure.storage.replication), which has no copy in ${location} to fail over to`,
    );
  }
  if (settings.registrySku !== "Premium") {
    problems.push(
      `gitpod-platform:backup.failover = true: the registry is ${settings.registrySku} (azure.registry.sku); only a Premium registry has the geo-replica in ${location} that serves the mirrored images while the home region is down`,
    );
  }
  return problems;
}
