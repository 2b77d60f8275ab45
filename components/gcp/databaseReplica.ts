import * as gcp from "../../providers/sdk/gcp";
import * as pulumi from "@pulumi/pulumi";
import { DatabaseConfig } from "../../config";
import { cloudSqlVersion, InstanceSettings, primarySettings, serverCaMode } from "./database";
import { resourceName } from "./naming";

export interface CrossRegionReplicaArgs {
  project: string;
  /** backup.replicaRegion. */
  region: string;
  stack: string;
  /** Pulumi protect and deletion protection, as the primary's. */
  protect: boolean;
  /** The primary instance, its settings and the VPC whose private services access both use. */
  primary: gcp.sql.DatabaseInstance;
  database: DatabaseConfig;
  networkId: pulumi.Input<string>;
  /** Where the promoted instance keeps its automated backups (the primary's multi-region). */
  backupLocation?: string;
  /** The primary's region is lost (backup.failover): promote the replica to a stand-alone primary. */
  promote?: boolean;
}

/** Cloud SQL's instance type of a stand-alone (primary) instance (Admin API SqlInstanceType; a replica's is READ_REPLICA_INSTANCE). */
const primaryType = "CLOUD_SQL_INSTANCE";

/**
 * A cross-region read replica of the Cloud SQL primary, sized like it so that it can carry the load once promoted.
 *
 * With `promote`, the same resource becomes a stand-alone primary, in two `pulumi up`s (no replacement):
 * 1. while Cloud SQL still reports a replica: `instanceType` CLOUD_SQL_INSTANCE and no `masterInstanceName`, nothing
 *    else. terraform-provider-google's sql_database_instance updates this in place by calling Instances.PromoteReplica
 *    (resourceSqlDatabaseInstanceUpdate, replicaDRByPromote; master_instance_name forces a replacement only when set).
 *    The provider patches changed settings BEFORE it promotes, and Cloud SQL configures neither backups nor high
 *    availability on a replica ("enable HA after promoting it", Cloud SQL cross-region replicas docs), so this step
 *    changes no setting.
 * 2. once it reports a primary: the primary's settings (automated backups with binary logging in the same
 *    multi-region, HA as configured, maintenance window), so the next `pulumi up` makes it a primary like the lost one.
 * The `gitpod` database and user are inside MySQL and came with the replication.
 */
export function crossRegionReplica(name: string, args: CrossRegionReplicaArgs, opts: pulumi.CustomResourceOptions): gcp.sql.DatabaseInstance {
  const { primary, database } = args;
  const instanceName = resourceName(args.stack, `mysql-${args.region}`);
  // The primary's current size (it grows by itself): a replica made later must not be smaller.
  const diskSize = primary.settings.apply((settings) => settings?.diskSize ?? database.diskSizeGb);
  const replicaSettings = (size: pulumi.Input<number>, privateNetwork: pulumi.Input<string>) => ({
    tier: database.machineType,
    edition: "ENTERPRISE",
    availabilityType: "ZONAL",
    diskType: "PD_SSD",
    diskSize: size,
    diskAutoresize: true,
    deletionProtectionEnabled: args.protect,
    ipConfiguration: { ipv4Enabled: false, privateNetwork, sslMode: "ENCRYPTED_ONLY", serverCaMode },
  });
  const common = {
    name: instanceName,
    project: args.project,
    region: args.region,
    databaseVersion: cloudSqlVersion(database.version),
    deletionProtection: args.protect,
  };
  if (!args.promote) {
    return new gcp.sql.DatabaseInstance(name, { ...common, masterInstanceName: primary.name, settings: replicaSettings(diskSize, args.networkId) }, { ...opts, protect: args.protect });
  }
  const settings = pulumi
    .all([isPromoted(args.project, instanceName, opts), diskSize, args.networkId])
    .apply(([promoted, size, networkId]): InstanceSettings => {
      if (!promoted) {
        pulumi.log.warn(`Cloud SQL instance ${instanceName} is promoted by this update; run \`pulumi up\` once more to give it automated backups and high availability`);
        return replicaSettings(size, networkId);
      }
      return { ...primarySettings(database, { networkId, protect: args.protect, backupLocation: args.backupLocation }), diskSize: size };
    });
  return new gcp.sql.DatabaseInstance(name, { ...common, instanceType: primaryType, settings }, { ...opts, protect: args.protect });
}

/** Whether Cloud SQL reports the instance as a stand-alone primary already (read live: the state may predate the promotion). */
function isPromoted(project: string, instance: string, opts: pulumi.CustomResourceOptions): pulumi.Output<boolean> {
  const read = gcp.sql.getDatabaseInstance({ project, name: instance }, { parent: opts.parent }).then(
    (found) => found.instanceType === primaryType,
    (err: unknown) => {
      throw new Error(
        `backup.failover promotes the Cloud SQL replica ${instance}, which could not be read (${String(err)}); it exists only if backup.databaseReplica was on before the region was lost`,
      );
    },
  );
  return pulumi.output(read);
}
