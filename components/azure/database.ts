import * as dbformysql from "@pulumi/azure-native/dbformysql";
import * as privatedns from "@pulumi/azure-native/privatedns";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { DatabaseConfig } from "../../config";
import { DatabaseEndpoint } from "../platform";
import { lockAgainstDelete } from "./locks";
import { mysqlCaBundle } from "./mysqlCa";
import { MySqlSkuTier } from "./settings";

export interface MySqlFlexibleArgs {
  /** Resource group of the server. */
  resourceGroupName: pulumi.Input<string>;
  /** Location of the server. */
  location: string;
  /** Server name (global: <name>.mysql.database.azure.com). */
  serverName: string;
  /** Private DNS zone the server registers its private address in. */
  privateZoneName: string;
  /** Virtual network the private zone is linked to. */
  vnetId: pulumi.Input<string>;
  /** Subnet delegated to Microsoft.DBforMySQL/flexibleServers. */
  subnetId: pulumi.Input<string>;
  /** Version, SKU, storage, backup retention and HA. */
  database: DatabaseConfig;
  /** Tier of the SKU (database.machineType). */
  skuTier: MySqlSkuTier;
  /** Geo-redundant backup to the paired region; only settable at creation. */
  geoRedundantBackup: boolean;
  /** HA mode when database.highAvailability is on. */
  highAvailabilityMode: "ZoneRedundant" | "SameZone";
  /** Zone of the primary (none in regions without zones) and of the zone-redundant standby. */
  zone?: string;
  standbyZone: string;
  /** Protect the server and the database (Pulumi protect). */
  protect: boolean;
  /** A CanNotDelete lock on the server. */
  lock: boolean;
  /** Tags for every resource. */
  tags: Record<string, string>;
}

export const gitpodDatabaseName = "gitpod";
/** Administrator login of the server; Gitpod connects as this user (no MySQL user management without a MySQL provider). */
export const gitpodDatabaseUser = "gitpod";
/**
 * Flexible Server's API name for MySQL 8.0. Both 5.7 and 8.0 are in Azure's paid Extended Support until 2029-03-31
 * (facts/azure/mysql-versions.json); 8.4 needs caching_sha2_password, which Gitpod 2022.11's client lacks.
 */
export const mysqlServerVersion = "8.0.21";
/** Server parameters the stack sets: TLS only, TLS 1.2 or newer. */
export const mysqlServerParameters: Record<string, string> = {
  require_secure_transport: "ON",
  tls_version: "TLSv1.2,TLSv1.3",
};

/** The high availability block of the server. Pure. */
export function highAvailability(enabled: boolean, mode: "ZoneRedundant" | "SameZone", standbyZone: string) {
  if (!enabled) return { mode: "Disabled" };
  return mode === "ZoneRedundant" ? { mode, standbyAvailabilityZone: standbyZone } : { mode };
}

/**
 * Azure Database for MySQL Flexible Server with private access only: its address is in the delegated subnet and
 * resolves through a private DNS zone linked to the VNet. Backups with retention from config, geo-redundant and
 * zone-redundant HA in production (both only settable at creation), TLS required, the `gitpod` database and an
 * administrator with a generated password.
 */
export class MySqlFlexibleDatabase extends pulumi.ComponentResource {
  readonly server: dbformysql.Server;
  readonly endpoint: DatabaseEndpoint;
  /** The administrator's password (a secret), which a geo-restored copy keeps. */
  readonly password: pulumi.Output<string>;

  constructor(name: string, args: MySqlFlexibleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:azure:Database", name, {}, opts);
    const db = args.database;
    const { zone, link } = privateDnsZone(name, args, this);
    const password = new random.RandomPassword(
      `${name}-password`,
      // Flexible Server wants three of: upper, lower, digit, symbol; symbols are left out for connection strings.
      { length: 32, special: false, minUpper: 2, minLower: 2, minNumeric: 2 },
      { parent: this },
    );
    this.server = new dbformysql.Server(
      `${name}-mysql`,
      {
        resourceGroupName: args.resourceGroupName,
        serverName: args.serverName,
        location: args.location,
        version: mysqlServerVersion,
        createMode: "Default",
        administratorLogin: gitpodDatabaseUser,
        administratorLoginPassword: pulumi.secret(password.result),
        sku: { name: db.machineType, tier: args.skuTier },
        availabilityZone: args.zone,
        storage: { storageSizeGB: db.diskSizeGb, autoGrow: "Enabled", autoIoScaling: "Enabled" },
        backup: { backupRetentionDays: db.backupRetentionDays, geoRedundantBackup: args.geoRedundantBackup ? "Enabled" : "Disabled" },
        highAvailability: highAvailability(db.highAvailability, args.highAvailabilityMode, args.standbyZone),
        network: {
          publicNetworkAccess: "Disabled",
          delegatedSubnetResourceId: args.subnetId,
          privateDnsZoneResourceId: zone.id,
        },
        maintenanceWindow: { customWindow: "Enabled", dayOfWeek: 0, startHour: 3, startMinute: 0 },
        tags: args.tags,
      },
      {
        parent: this,
        protect: args.protect,
        dependsOn: [link],
        additionalSecretOutputs: ["administratorLoginPassword"],
        // Zones move on failover; the next `pulumi up` must not fail back.
        ignoreChanges: ["availabilityZone", "highAvailability.standbyAvailabilityZone"],
      },
    );
    if (args.lock) lockAgainstDelete(`${name}-lock`, this.server.id, "database", { parent: this });
    const previous = tlsParameters(name, args.resourceGroupName, this.server, this);
    const database = new dbformysql.Database(
      `${name}-gitpod`,
      {
        resourceGroupName: args.resourceGroupName,
        serverName: this.server.name,
        databaseName: gitpodDatabaseName,
        charset: "utf8mb4",
        collation: "utf8mb4_unicode_ci",
      },
      { parent: this, protect: args.protect, dependsOn: [previous] },
    );

    this.password = pulumi.secret(password.result);
    this.endpoint = {
      kind: "external",
      host: this.server.fullyQualifiedDomainName,
      port: pulumi.output(3306),
      username: database.id.apply(() => gitpodDatabaseUser),
      password: pulumi.secret(password.result),
      database: gitpodDatabaseName,
      caCertificate: pulumi.output(mysqlCaBundle),
    };
    this.registerOutputs({ host: this.endpoint.host });
  }
}

/** The private DNS zone a server with VNet access registers its address in, linked to the VNet. */
export function privateDnsZone(
  name: string,
  args: { resourceGroupName: pulumi.Input<string>; privateZoneName: string; vnetId: pulumi.Input<string>; tags: Record<string, string> },
  parent: pulumi.Resource,
): { zone: privatedns.PrivateZone; link: privatedns.VirtualNetworkLink } {
  const zone = new privatedns.PrivateZone(
    `${name}-private-zone`,
    { resourceGroupName: args.resourceGroupName, privateZoneName: args.privateZoneName, location: "global", tags: args.tags },
    { parent },
  );
  const link = new privatedns.VirtualNetworkLink(
    `${name}-private-zone-link`,
    {
      resourceGroupName: args.resourceGroupName,
      privateZoneName: zone.name,
      virtualNetworkLinkName: "gitpod-vnet",
      location: "global",
      virtualNetwork: { id: args.vnetId },
      registrationEnabled: false,
      tags: args.tags,
    },
    { parent },
  );
  return { zone, link };
}

/** The server parameters mysqlServerParameters, one after the other (the service applies one change at a time); returns the last. */
export function tlsParameters(name: string, resourceGroupName: pulumi.Input<string>, server: dbformysql.Server, parent: pulumi.Resource): pulumi.Resource {
  let previous: pulumi.Resource = server;
  for (const [parameter, value] of Object.entries(mysqlServerParameters)) {
    previous = new dbformysql.Configuration(
      `${name}-${parameter.replace(/_/g, "-")}`,
      { resourceGroupName, serverName: server.name, configurationName: parameter, value, source: "user-override" },
      { parent, dependsOn: [previous] },
    );
  }
  return previous;
}
