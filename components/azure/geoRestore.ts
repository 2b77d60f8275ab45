import * as dbformysql from "@pulumi/azure-native/dbformysql";
import * as pulumi from "@pulumi/pulumi";
import { DatabaseEndpoint } from "../platform";
import { gitpodDatabaseName, gitpodDatabaseUser, MySqlFlexibleArgs, mysqlServerVersion, privateDnsZone, tlsParameters } from "./database";
import { lockAgainstDelete } from "./locks";
import { mysqlCaBundle } from "./mysqlCa";

/** Where the new server goes (the paired region, the replica VNet) and how it is sized and protected, as the primary's. */
export interface GeoRestoredMySqlArgs
  extends Pick<MySqlFlexibleArgs, "resourceGroupName" | "location" | "serverName" | "privateZoneName" | "vnetId" | "subnetId" | "database" | "skuTier" | "zone" | "protect" | "lock" | "tags"> {
  /** Resource id of the lost primary server whose geo-redundant backups are restored. */
  sourceServerId: pulumi.Input<string>;
  /** The primary's administrator password: a restore brings the server's users back with the data. */
  password: pulumi.Input<string>;
}

/**
 * The surviving copy of the database after a region loss: a new Flexible Server in the paired region created with
 * createMode GeoRestore from the primary's geo-redundant backups (up to an hour behind, concepts-backup-restore.md),
 * private in the replica VNet, TLS required as on the primary. What the request leaves out, and why:
 * - administrator login and password: terraform-provider-azurerm requires them only for createMode Default, and "the
 *   new server created by geo restore has the same server admin sign-in name and password" as the source
 *   (how-to-restore-server-portal.md), which also lets a restore choose the VNet and subnet.
 * - high availability: "A High Availability-enabled server will become non-HA after restore for both Point-in-time
 *   restore and Geo-restore" (concepts-backup-restore.md); turn it on once the site is settled.
 * - geo-redundant backup is Disabled: "When primary region is down, you can't create geo-redundant servers in the
 *   respective geo-paired region ... restore as a locally redundant server" (same page).
 * The `gitpod` database comes with the data, so it is not declared (a create of an existing object fails).
 */
export class GeoRestoredMySql extends pulumi.ComponentResource {
  readonly server: dbformysql.Server;
  readonly endpoint: DatabaseEndpoint;

  constructor(name: string, args: GeoRestoredMySqlArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:azure:GeoRestoredDatabase", name, {}, opts);
    const db = args.database;
    const { zone, link } = privateDnsZone(name, args, this);
    this.server = new dbformysql.Server(
      `${name}-mysql`,
      {
        resourceGroupName: args.resourceGroupName,
        serverName: args.serverName,
        location: args.location,
        createMode: "GeoRestore",
        sourceServerResourceId: args.sourceServerId,
        version: mysqlServerVersion,
        sku: { name: db.machineType, tier: args.skuTier },
        availabilityZone: args.zone,
        storage: { storageSizeGB: db.diskSizeGb, autoGrow: "Enabled", autoIoScaling: "Enabled" },
        backup: { backupRetentionDays: db.backupRetentionDays, geoRedundantBackup: "Disabled" },
        network: { publicNetworkAccess: "Disabled", delegatedSubnetResourceId: args.subnetId, privateDnsZoneResourceId: zone.id },
        maintenanceWindow: { customWindow: "Enabled", dayOfWeek: 0, startHour: 3, startMinute: 0 },
        tags: args.tags,
      },
      // The surviving data: protected and locked like the primary. Azure may place it in another zone, and the operator
      // turns geo-redundant backup on once the lost region is back (scripts/recover/regionLoss.ts): not reverted here.
      { parent: this, protect: args.protect, dependsOn: [link], ignoreChanges: ["availabilityZone", "backup.geoRedundantBackup"] },
    );
    if (args.lock) lockAgainstDelete(`${name}-lock`, this.server.id, "database (geo-restored)", { parent: this });
    const parameters = tlsParameters(name, args.resourceGroupName, this.server, this);
    this.endpoint = {
      kind: "external",
      host: this.server.fullyQualifiedDomainName,
      port: pulumi.output(3306),
      username: pulumi.output(parameters.urn).apply(() => gitpodDatabaseUser),
      password: pulumi.secret(args.password),
      database: gitpodDatabaseName,
      // Same service and same public-cloud certificate chain as the primary's (the roots in mysqlCa.ts).
      caCertificate: pulumi.output(mysqlCaBundle),
    };
    this.registerOutputs({ host: this.endpoint.host });
  }
}
