import * as gcp from "../../providers/sdk/gcp";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { DatabaseConfig } from "../../config";
import { DatabaseEndpoint } from "../platform";
import { DatabaseDns } from "./databaseDns";
import { resourceName } from "./naming";

export interface CloudSqlArgs {
  /** Project of the instance. */
  project: string;
  /** Region of the instance. */
  region: string;
  /** VPC whose private services access range gives the instance its private IP. */
  networkId: pulumi.Input<string>;
  /** Version, tier, disk, backups and HA. */
  database: DatabaseConfig;
  /** Protect the instance and database from deletion (Pulumi protect and Cloud SQL deletion protection). */
  protect: boolean;
  /** Name of the stack, for project-wide names. */
  stack: string;
  /**
   * Where automated backups are stored: a multi-region such as `eu` (they survive the loss of the region), or unset
   * for Cloud SQL's default (the multi-region nearest the instance).
   */
  backupLocation?: string;
}

export const gitpodDatabaseName = "gitpod";
export const gitpodDatabaseUser = "gitpod";

/** Cloud SQL's version enum for a MySQL major version. */
export function cloudSqlVersion(version: DatabaseConfig["version"]): string {
  return `MYSQL_${version.replace(".", "_")}`;
}

/**
 * The server CA mode. GOOGLE_MANAGED_CAS_CA: the server certificate names the instance's DNS name in its subject
 * alternative names, which Gitpod's Go clients check (go-sql-driver/mysql verifies tls.Config.ServerName = the host
 * it dials); the per-instance CA's certificates carry only `project:instance` in the CN, which no standard hostname
 * check accepts (GoogleCloudPlatform/cloud-sql-jdbc-socket-factory#2150). Gitpod's Node.js server (mysqljs) checks
 * the chain only.
 */
export const serverCaMode = "GOOGLE_MANAGED_CAS_CA";

/**
 * Cloud SQL for MySQL with a private IP only, TLS required, automated backups with binary logging (point-in-time
 * recovery) kept after the instance is deleted in production, regional HA when configured, and the `gitpod` database
 * and user. Gitpod connects directly as to any external MySQL, by the instance's DNS name, verifying the server
 * against the instance's CA: no Cloud SQL proxy (Gitpod 2022.11 ships `b.gcr.io/cloudsql-docker/gce-proxy:1.11`,
 * from 2017) and no service-account key for it.
 */
export class CloudSqlDatabase extends pulumi.ComponentResource {
  readonly instance: gcp.sql.DatabaseInstance;
  readonly endpoint: DatabaseEndpoint;
  /** The `gitpod` user's login; it replicates (a MySQL user) to a cross-region replica. */
  readonly login: { username: pulumi.Output<string>; password: pulumi.Output<string> };

  constructor(name: string, args: CloudSqlArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:gcp:Database", name, {}, opts);
    const db = args.database;
    this.instance = new gcp.sql.DatabaseInstance(
      `${name}-mysql`,
      {
        name: resourceName(args.stack, "mysql"),
        region: args.region,
        databaseVersion: cloudSqlVersion(db.version),
        deletionProtection: args.protect,
        settings: primarySettings(db, args),
      },
      { parent: this, protect: args.protect },
    );
    const database = new gcp.sql.Database(
      `${name}-gitpod`,
      { instance: this.instance.name, name: gitpodDatabaseName, charset: "utf8mb4", collation: "utf8mb4_unicode_ci" },
      { parent: this, protect: args.protect },
    );
    const password = new random.RandomPassword(`${name}-password`, { length: 32, special: false }, { parent: this });
    const user = new gcp.sql.User(
      `${name}-user`,
      { instance: this.instance.name, name: gitpodDatabaseUser, host: "%", password: password.result },
      { parent: this, dependsOn: [database] },
    );

    const dns = new DatabaseDns(`${name}-dns`, { networkId: args.networkId, instance: this.instance, stack: args.stack, protect: args.protect }, { parent: this });
    this.login = { username: user.name, password: pulumi.secret(password.result) };
    this.endpoint = cloudSqlEndpoint(this.instance, dns.host, this.login);
    this.registerOutputs({ instance: this.instance.connectionName, host: dns.host });
  }
}

/** An instance's `settings` as a plain object (the SDK types them only as an Input). */
export type InstanceSettings = Exclude<NonNullable<gcp.sql.DatabaseInstanceArgs["settings"]>, pulumi.Output<unknown> | Promise<unknown>>;

/**
 * The settings of a primary instance: the stack's own, and a promoted replica's once Cloud SQL reports it is no longer
 * a replica (backups and HA cannot be configured on a replica). Pure.
 */
export function primarySettings(
  db: DatabaseConfig,
  args: { networkId: pulumi.Input<string>; protect: boolean; backupLocation?: string },
): InstanceSettings {
  return {
    tier: db.machineType,
    edition: "ENTERPRISE",
    availabilityType: db.highAvailability ? "REGIONAL" : "ZONAL",
    diskType: "PD_SSD",
    diskSize: db.diskSizeGb,
    diskAutoresize: true,
    deletionProtectionEnabled: args.protect,
    ipConfiguration: { ipv4Enabled: false, privateNetwork: args.networkId, sslMode: "ENCRYPTED_ONLY", serverCaMode },
    // Production's backups outlive the instance (a deleted instance is otherwise gone with all its backups).
    retainBackupsOnDelete: args.protect,
    backupConfiguration: {
      enabled: true,
      binaryLogEnabled: true,
      location: args.backupLocation,
      startTime: "02:00",
      transactionLogRetentionDays: Math.min(db.backupRetentionDays, 7),
      backupRetentionSettings: { retainedBackups: db.backupRetentionDays, retentionUnit: "COUNT" },
    },
    maintenanceWindow: { day: 7, hour: 3, updateTrack: "stable" },
    insightsConfig: { queryInsightsEnabled: true },
  };
}

/**
 * What Gitpod is handed: an external MySQL at the instance's DNS name (the `gitpod` database), verified against the
 * instance's server CA certificates, with the `gitpod` user's credentials.
 */
export function cloudSqlEndpoint(
  instance: gcp.sql.DatabaseInstance,
  host: pulumi.Output<string>,
  login: { username: pulumi.Output<string>; password: pulumi.Output<string> },
): DatabaseEndpoint {
  return {
    kind: "external",
    host,
    port: pulumi.output(3306),
    username: login.username,
    password: login.password,
    database: gitpodDatabaseName,
    caCertificate: instance.serverCaCerts.apply((certs) => serverCaBundle(certs ?? [])),
  };
}

/** The PEM bundle of the instance's server CA certificates (all current ones, so a CA rotation does not break TLS). */
export function serverCaBundle(certs: { cert: string }[]): string {
  const pems = certs.map((c) => c.cert.trim()).filter((pem) => pem.length > 0);
  if (pems.length === 0) throw new Error("Cloud SQL reported no server CA certificate; Gitpod could not verify the database");
  return `${pems.join("\n")}\n`;
}
