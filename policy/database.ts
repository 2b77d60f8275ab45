/**
 * Managed MySQL on the three clouds: Cloud SQL, RDS, Azure Database for MySQL Flexible Server. Never reachable
 * from the internet, TLS only, encrypted, highly available and hard to delete in production.
 */
import { asArray, asRecord, describe, get, isProduction, ResourceRule, ResourceView, show, StackContext, truthy } from "./lib";

export const types = {
  cloudSql: "gcp:sql/databaseInstance:DatabaseInstance",
  rds: "aws:rds/instance:Instance",
  rdsClusterInstance: "aws:rds/clusterInstance:ClusterInstance",
  rdsParameterGroup: "aws:rds/parameterGroup:ParameterGroup",
  azureServer: "azure-native:dbformysql:Server",
  azureConfiguration: "azure-native:dbformysql:Configuration",
  azureFirewallRule: "azure-native:dbformysql:FirewallRule",
} as const;

/** A read replica (Cloud SQL masterInstanceName, RDS replicateSourceDb, Azure createMode Replica): it has no backups or HA of its own. */
export function isReplica(props: Record<string, unknown>): boolean {
  return typeof props.masterInstanceName === "string" || typeof props.replicateSourceDb === "string" || props.createMode === "Replica";
}

/**
 * A Cloud SQL replica in the update that promotes it (backup.failover; components/gcp/databaseReplica.ts): instanceType
 * CLOUD_SQL_INSTANCE, no master and no backup configuration yet. Cloud SQL takes neither backups nor HA on a replica and
 * the provider patches settings before it promotes, so both come with the next update, which these rules then check.
 */
export function isReplicaBeingPromoted(r: Pick<ResourceView, "type" | "props">, context: StackContext): boolean {
  return (
    context.failover === true &&
    r.type === types.cloudSql &&
    r.props.instanceType === "CLOUD_SQL_INSTANCE" &&
    typeof r.props.masterInstanceName !== "string" &&
    get(r.props, ["settings", "backupConfiguration"]) === undefined
  );
}

/**
 * A database the failover restored from the lost region's backups (backup.failover): RDS restored to a point in time
 * (components/aws/replicaSite.ts), Azure MySQL geo-restored (components/azure/geoRestore.ts). Its second region is the
 * lost one: RDS can replicate its backups only once that region is back, and Azure creates no geo-redundant server in
 * the pair while the primary region is down (Azure MySQL concepts-backup-restore).
 */
export function isRestoredAfterRegionLoss(r: Pick<ResourceView, "type" | "props">, context: StackContext): boolean {
  if (context.failover !== true) return false;
  if (r.type === types.rds) return r.props.restoreToPointInTime !== undefined;
  return r.type === types.azureServer && r.props.createMode === "GeoRestore";
}

/** Cloud SQL `sslMode` values under which the server refuses unencrypted connections. */
const cloudSqlTlsModes = ["ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"];

export const databaseNotPublic: ResourceRule = {
  kind: "resource",
  name: "database-not-public",
  family: "database",
  level: "mandatory",
  description:
    "No database is reachable from the internet: Cloud SQL without a public IPv4 address or authorized networks, RDS not publicly accessible, Azure MySQL in a delegated subnet with public network access disabled and no firewall rules.",
  types: [types.cloudSql, types.rds, types.rdsClusterInstance, types.azureServer, types.azureFirewallRule],
  check(r) {
    const p = r.props;
    const out: string[] = [];
    if (r.type === types.cloudSql) {
      const ip = asRecord(get(p, ["settings", "ipConfiguration"]));
      if (ip.ipv4Enabled !== false) {
        out.push(`${describe(r)}: settings.ipConfiguration.ipv4Enabled is ${show(ip.ipv4Enabled)} (Cloud SQL's default is a public IP); set it to false and use privateNetwork`);
      }
      const networks = asArray(ip.authorizedNetworks);
      if (networks.length > 0) {
        out.push(`${describe(r)}: settings.ipConfiguration.authorizedNetworks admits ${networks.length} public range(s); remove them`);
      }
    } else if (r.type === types.rds || r.type === types.rdsClusterInstance) {
      if (truthy(p.publiclyAccessible)) out.push(`${describe(r)}: publiclyAccessible is true; set it to false`);
    } else if (r.type === types.azureServer) {
      const network = asRecord(p.network);
      if (network.publicNetworkAccess !== "Disabled" && typeof network.delegatedSubnetResourceId !== "string") {
        out.push(
          `${describe(r)}: network.publicNetworkAccess is ${show(network.publicNetworkAccess)} and no network.delegatedSubnetResourceId; place the server in a delegated subnet or set publicNetworkAccess to Disabled`,
        );
      }
    } else if (r.type === types.azureFirewallRule) {
      out.push(`${describe(r)}: a MySQL firewall rule (startIpAddress ${show(p.startIpAddress)} to endIpAddress ${show(p.endIpAddress)}) opens the server's public endpoint; remove it`);
    }
    return out;
  },
};

export const databaseTlsRequired: ResourceRule = {
  kind: "resource",
  name: "database-tls-required",
  family: "database",
  level: "mandatory",
  description:
    "The database refuses unencrypted connections: Cloud SQL sslMode ENCRYPTED_ONLY or TRUSTED_CLIENT_CERTIFICATE_REQUIRED; Azure MySQL require_secure_transport ON and tls_version without TLS 1.0/1.1.",
  types: [types.cloudSql, types.azureConfiguration],
  check(r) {
    const p = r.props;
    if (r.type === types.cloudSql) {
      const ip = asRecord(get(p, ["settings", "ipConfiguration"]));
      if (!cloudSqlTlsModes.includes(ip.sslMode as string) && !truthy(ip.requireSsl)) {
        return [`${describe(r)}: settings.ipConfiguration.sslMode is ${show(ip.sslMode)}; set it to ENCRYPTED_ONLY (or TRUSTED_CLIENT_CERTIFICATE_REQUIRED)`];
      }
      return [];
    }
    const name = String(p.configurationName ?? "");
    const value = String(p.value ?? "");
    if (name === "require_secure_transport" && value.toUpperCase() !== "ON") {
      return [`${describe(r)}: server parameter require_secure_transport (value) is ${show(p.value)}; set it to ON`];
    }
    if (name === "tls_version" && value.split(",").some((v) => /^TLSv1(\.1)?$/.test(v.trim()))) {
      return [`${describe(r)}: server parameter tls_version (value) is ${show(p.value)}; allow only TLSv1.2 and TLSv1.3`];
    }
    return [];
  },
};

/** RDS engines with the MySQL parameter `require_secure_transport`. */
const rdsMysqlFamily = /^(mysql|mariadb)/;

export const rdsRequireSecureTransport: ResourceRule = {
  kind: "resource",
  name: "rds-require-secure-transport",
  family: "database",
  level: "mandatory",
  description:
    "RDS MySQL runs with a custom parameter group that sets require_secure_transport to 1, so the server refuses unencrypted connections.",
  types: [types.rdsParameterGroup, types.rds],
  check(r) {
    const p = r.props;
    if (r.type === types.rdsParameterGroup) {
      if (!rdsMysqlFamily.test(String(p.family ?? ""))) return [];
      const parameter = asArray(p.parameters).map(asRecord).find((x) => x.name === "require_secure_transport");
      if (!parameter || !["1", "ON", "on"].includes(String(parameter.value))) {
        return [`${describe(r)}: parameters has require_secure_transport ${parameter ? `= ${show(parameter.value)}` : "unset"}; set it to 1`];
      }
      return [];
    }
    if (!rdsMysqlFamily.test(String(p.engine ?? ""))) return [];
    const group = p.parameterGroupName;
    if (typeof group !== "string" || group.startsWith("default.")) {
      return [`${describe(r)}: parameterGroupName is ${show(group)} (the engine default allows plain-text connections); use a parameter group with require_secure_transport = 1`];
    }
    return [];
  },
};

export const databaseEncryptedAtRest: ResourceRule = {
  kind: "resource",
  name: "database-encrypted-at-rest",
  family: "database",
  level: "mandatory",
  description: "RDS storage is encrypted (storageEncrypted). Cloud SQL and Azure MySQL always encrypt their storage.",
  types: [types.rds],
  check(r) {
    return truthy(r.props.storageEncrypted) ? [] : [`${describe(r)}: storageEncrypted is ${show(r.props.storageEncrypted)}; set it to true (with a KMS key)`];
  },
};

export const databaseDeletionProtection: ResourceRule = {
  kind: "resource",
  name: "database-deletion-protection",
  family: "database",
  level: "mandatory",
  description:
    "In production, databases have the cloud's deletion protection on: Cloud SQL deletionProtection and settings.deletionProtectionEnabled, RDS deletionProtection. (Azure MySQL has no such setting; data-resources-protected covers it.)",
  types: [types.cloudSql, types.rds],
  check(r, context) {
    if (!isProduction(context)) return [];
    const p = r.props;
    const out: string[] = [];
    if (r.type === types.cloudSql) {
      // The provider's own guard defaults to true; the API-side flag defaults to false.
      if (p.deletionProtection === false) out.push(`${describe(r)}: deletionProtection is false; set it to true in production`);
      if (get(p, ["settings", "deletionProtectionEnabled"]) !== true) {
        out.push(`${describe(r)}: settings.deletionProtectionEnabled is ${show(get(p, ["settings", "deletionProtectionEnabled"]))}; set it to true in production`);
      }
    } else if (!truthy(p.deletionProtection)) {
      out.push(`${describe(r)}: deletionProtection is ${show(p.deletionProtection)}; set it to true in production`);
    }
    return out;
  },
};

export const databaseHighAvailability: ResourceRule = {
  kind: "resource",
  name: "database-high-availability",
  family: "database",
  level: "advisory",
  description:
    "In production, the primary database survives a zone outage: Cloud SQL availabilityType REGIONAL, RDS multiAz, Azure MySQL highAvailability ZoneRedundant (or SameZone). Read replicas are exempt, and a Cloud SQL replica in the update that promotes it (backup.failover).",
  types: [types.cloudSql, types.rds, types.azureServer],
  check(r, context) {
    if (!isProduction(context) || isReplica(r.props) || isReplicaBeingPromoted(r, context)) return [];
    const p = r.props;
    if (r.type === types.cloudSql) {
      const availability = get(p, ["settings", "availabilityType"]);
      return availability === "REGIONAL" ? [] : [`${describe(r)}: settings.availabilityType is ${show(availability)}; set it to REGIONAL in production`];
    }
    if (r.type === types.rds) {
      return truthy(p.multiAz) ? [] : [`${describe(r)}: multiAz is ${show(p.multiAz)}; set it to true in production`];
    }
    const mode = get(p, ["highAvailability", "mode"]);
    return mode === "ZoneRedundant" || mode === "SameZone" ? [] : [`${describe(r)}: highAvailability.mode is ${show(mode)}; set it to ZoneRedundant in production`];
  },
};

export const databaseRules = [
  databaseNotPublic,
  databaseTlsRequired,
  rdsRequireSecureTransport,
  databaseEncryptedAtRest,
  databaseDeletionProtection,
  databaseHighAvailability,
];
