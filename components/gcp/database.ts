import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { DatabaseConfig } from "../../config";
import { DatabaseEndpoint } from "../platform";
import { resourceName, serviceAccountId } from "./naming";
import { serviceAccountKeyJson } from "./serviceAccountKey";

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
 * Cloud SQL for MySQL with a private IP only, automated backups with binary logging (point-in-time recovery),
 * regional HA when configured, and the `gitpod` database and user. Gitpod reaches it through the Cloud SQL
 * Auth proxy with a service account that holds only roles/cloudsql.client.
 */
export class CloudSqlDatabase extends pulumi.ComponentResource {
  readonly instance: gcp.sql.DatabaseInstance;
  readonly endpoint: DatabaseEndpoint;

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
        settings: {
          tier: db.machineType,
          edition: "ENTERPRISE",
          availabilityType: db.highAvailability ? "REGIONAL" : "ZONAL",
          diskType: "PD_SSD",
          diskSize: db.diskSizeGb,
          diskAutoresize: true,
          deletionProtectionEnabled: args.protect,
          ipConfiguration: { ipv4Enabled: false, privateNetwork: args.networkId, sslMode: "ENCRYPTED_ONLY" },
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
        },
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

    const proxyAccount = new gcp.serviceaccount.Account(
      `${name}-proxy`,
      { accountId: serviceAccountId(args.stack, "sql"), displayName: "Gitpod Cloud SQL proxy" },
      { parent: this },
    );
    new gcp.projects.IAMMember(
      `${name}-proxy-client`,
      { project: args.project, role: "roles/cloudsql.client", member: pulumi.interpolate`serviceAccount:${proxyAccount.email}` },
      { parent: this },
    );

    this.endpoint = {
      kind: "cloudSql",
      instance: this.instance.connectionName,
      serviceAccountKey: serviceAccountKeyJson(`${name}-proxy-key`, proxyAccount, { parent: this }),
      username: user.name,
      password: pulumi.secret(password.result),
      database: gitpodDatabaseName,
    };
    this.registerOutputs({ instance: this.instance.connectionName });
  }
}
