import * as aws from "../../providers/sdk/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { DatabaseConfig } from "../../config";
import { AwsStackConfig, awsName } from "./common";
import { rdsCaBundleFor } from "./rdsCa";

/** Gitpod's database and user; Gitpod's installer expects the database `gitpod`. */
export const gitpodDatabase = { name: "gitpod", username: "gitpod", port: 3306 } as const;

/** The parameter group family of a MySQL major version. */
export function parameterGroupFamily(version: DatabaseConfig["version"]): string {
  return `mysql${version}`;
}

/**
 * MySQL parameters Gitpod 2022.11 needs on RDS.
 * - explicit_defaults_for_timestamp=0: Gitpod's DB layer writes NULL to `timestamp NOT NULL DEFAULT
 *   CURRENT_TIMESTAMP` columns to (re)set them (gitpod-db `typeorm/transformer.ts`), which only works with the
 *   variable OFF; Gitpod's own MySQL chart forces it OFF for that reason (installer third_party/charts/mysql/values.yaml,
 *   2022.11.3); MySQL 8.0 and RDS default it to ON. Static on 5.7, so pending-reboot (a new instance starts with it).
 * - default_authentication_plugin=mysql_native_password (8.0): the master user `gitpod` is created with the plugin the
 *   parameter group names at creation, and Gitpod's server speaks MySQL through the Node driver `mysql` ^2.18.1
 *   (gitpod-db package.json), which cannot do caching_sha2_password. (MySQL 8.4 drops this parameter and defaults to
 *   caching_sha2_password, one reason the config refuses 8.4.)
 * - require_secure_transport=1 refuses every connection without TLS; Gitpod verifies the server with the RDS root CAs
 *   of the region the contract carries.
 * - slow_query_log=1 with long_query_time=2: the slowquery log export has something to export.
 * No log_bin_trust_function_creators: Gitpod 2022.11.3's migrations create no triggers or functions (git grep).
 */
export function gitpodParameters(version: DatabaseConfig["version"]): { name: string; value: string; applyMethod: string }[] {
  return [
    { name: "explicit_defaults_for_timestamp", value: "0", applyMethod: "pending-reboot" },
    ...(version === "8.0" ? [{ name: "default_authentication_plugin", value: "mysql_native_password", applyMethod: "pending-reboot" }] : []),
    { name: "require_secure_transport", value: "1", applyMethod: "immediate" },
    { name: "slow_query_log", value: "1", applyMethod: "immediate" },
    { name: "long_query_time", value: "2", applyMethod: "immediate" },
  ];
}

/**
 * RDS lifecycle support of `database.supportPlan`: a major version past its end of standard support runs only under
 * paid RDS Extended Support, which RDS otherwise enables by itself on create (RDS UG "Using Amazon RDS Extended
 * Support"; @pulumi/aws rds.Instance `engineLifecycleSupport` defaults to `open-source-rds-extended-support`). The
 * stack states the choice instead of being billed silently.
 */
export function engineLifecycleSupport(supportPlan: "standard" | "extended"): string {
  return supportPlan === "extended" ? "open-source-rds-extended-support" : "open-source-rds-extended-support-disabled";
}

/** RDS log exports of the instance; each goes to /aws/rds/instance/<identifier>/<type>, created first with a retention. */
export const rdsLogExports = ["error", "slowquery"] as const;

/** The CA that signs the instance's server certificate; its root for every region is in rds-ca-bundle.pem. */
export const rdsServerCa = "rds-ca-rsa2048-g1";

/** Performance Insights exists for every RDS MySQL class except the micro and small burstable ones. */
export function performanceInsightsSupported(instanceClass: string): boolean {
  return !/^db\.t\d+g?\.(micro|small)$/.test(instanceClass);
}

/** Upper bound of storage autoscaling: five times the configured size, at least 100 GB, at most RDS's 65536 GB. */
export function maxAllocatedStorage(diskSizeGb: number): number {
  return Math.min(65536, Math.max(100, diskSizeGb * 5));
}

export interface DatabaseArgs {
  /** Size, version, backups and availability of the instance. */
  database: DatabaseConfig;
  /** VPC of the database. */
  vpcId: pulumi.Input<string>;
  /** The isolated database subnets, one per zone. */
  subnetIds: pulumi.Input<string>[];
  /** The only security group allowed to connect: the services nodes' database-client group. */
  clientSecurityGroupId: pulumi.Input<string>;
  /** RDS instance identifier (also names its log groups). */
  identifier: string;
  /** Days CloudWatch keeps the exported error and slow-query logs. */
  logRetentionDays: number;
  /** Protect the instance: pulumi protect and RDS deletion protection. */
  protect: boolean;
  /** Keep a final snapshot when the instance is deleted (production). */
  finalSnapshot: boolean;
  /** Region of the instance: picks the RDS root CAs Gitpod verifies the server with. */
  region: string;
  /** Restore the instance from automated backups instead of creating it empty (region failover). */
  restore?: DatabaseRestore;
}

/**
 * The instance's arguments from the stack config, for the primary site and the replica site alike: what differs is
 * the cluster it serves, its network and region, and whether it is restored.
 */
export function databaseArgs(
  config: AwsStackConfig,
  site: Pick<DatabaseArgs, "vpcId" | "subnetIds" | "clientSecurityGroupId" | "region" | "restore"> & { clusterName: string },
): DatabaseArgs {
  const { clusterName, ...placement } = site;
  return {
    ...placement,
    database: config.database,
    identifier: awsName(`${clusterName}-mysql`),
    protect: config.protect,
    finalSnapshot: config.environment === "production" || config.protect,
    logRetentionDays: config.aws.controlPlaneLogRetentionDays,
  };
}

/**
 * Where a restored instance comes from (RDS RestoreDBInstanceToPointInTime through `restoreToPointInTime`;
 * terraform-provider-aws internal/service/rds/instance.go, resourceInstanceCreate).
 */
export interface DatabaseRestore {
  /** ARN of the automated backups, e.g. the replicated ones in this region (the id of InstanceAutomatedBackupsReplication). */
  automatedBackupsArn: pulumi.Input<string>;
  /**
   * The key the backups are encrypted with. The restore call takes no key: the instance's storage keeps the backups'
   * key, and `kmsKeyId` forces a replacement on a difference, so the program states exactly that key.
   */
  kmsKeyArn: pulumi.Input<string>;
  /** The source's master password: a restored instance keeps it, and Gitpod keeps connecting with it. */
  password: pulumi.Input<string>;
}

/**
 * RDS for MySQL for Gitpod: private in the database subnets, reachable only from the cluster's nodes, storage
 * encrypted with its own KMS key, Multi-AZ when highly available, automated backups, deletion protection and a
 * final snapshot in production, a generated password kept as a secret, and TLS required (`caCertificate` verifies it).
 */
export class Database extends pulumi.ComponentResource {
  readonly instance: aws.rds.Instance;
  readonly host: pulumi.Output<string>;
  readonly port: pulumi.Output<number>;
  readonly username: pulumi.Output<string>;
  readonly password: pulumi.Output<string>;
  readonly securityGroupId: pulumi.Output<string>;
  readonly kmsKeyArn: pulumi.Output<string>;
  /** PEM bundle of the RDS root CAs that sign the server's certificate (`rds-ca-rsa2048-g1` of the region). */
  readonly caCertificate: pulumi.Output<string>;

  constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:aws:Database", name, {}, opts);
    const { database } = args;
    this.caCertificate = pulumi.output(rdsCaBundleFor(args.region));

    const { restore } = args;
    this.kmsKeyArn = restore
      ? pulumi.output(restore.kmsKeyArn)
      : new aws.kms.Key(
          `${name}-key`,
          { description: `Storage encryption of Gitpod's RDS MySQL (${name})`, enableKeyRotation: true, deletionWindowInDays: 30 },
          { parent: this, protect: args.protect },
        ).arn;

    const subnetGroup = new aws.rds.SubnetGroup(
      `${name}-subnets`,
      { description: `Database subnets of ${name}`, subnetIds: args.subnetIds },
      { parent: this },
    );

    const securityGroup = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      { vpcId: args.vpcId, description: `MySQL of ${name}: only the cluster's services nodes`, tags: { Name: `${name}-mysql` } },
      { parent: this },
    );
    new aws.vpc.SecurityGroupIngressRule(
      `${name}-from-nodes`,
      {
        securityGroupId: securityGroup.id,
        referencedSecurityGroupId: args.clientSecurityGroupId,
        ipProtocol: "tcp",
        fromPort: gitpodDatabase.port,
        toPort: gitpodDatabase.port,
        description: "MySQL from the EKS services nodes (never workspace nodes)",
      },
      { parent: this },
    );
    this.securityGroupId = securityGroup.id;

    const parameters = new aws.rds.ParameterGroup(
      `${name}-params`,
      {
        family: parameterGroupFamily(database.version),
        description: `Gitpod MySQL ${database.version} parameters`,
        parameters: gitpodParameters(database.version),
      },
      { parent: this },
    );

    const password = restore
      ? pulumi.output(restore.password)
      : new random.RandomPassword(
          `${name}-password`,
          // Letters and digits only: the password travels through connection strings, YAML and env variables unescaped.
          { length: 40, special: false },
          { parent: this },
        ).result;

    // Created before the instance, so that RDS does not create them without a retention when the export starts.
    const logGroups = rdsLogExports.map(
      (type) =>
        new aws.cloudwatch.LogGroup(
          `${name}-logs-${type}`,
          { name: `/aws/rds/instance/${args.identifier}/${type}`, retentionInDays: args.logRetentionDays },
          { parent: this },
        ),
    );

    this.instance = new aws.rds.Instance(
      `${name}-mysql`,
      {
        identifier: args.identifier,
        engine: "mysql",
        engineVersion: database.version,
        engineLifecycleSupport: engineLifecycleSupport(database.supportPlan),
        autoMinorVersionUpgrade: true,
        instanceClass: database.machineType,
        allocatedStorage: database.diskSizeGb,
        maxAllocatedStorage: maxAllocatedStorage(database.diskSizeGb),
        storageType: "gp3",
        storageEncrypted: true,
        kmsKeyId: this.kmsKeyArn,
        multiAz: database.highAvailability,
        // A restore brings the `gitpod` database along and names none (RDS API reference, RestoreDBInstanceToPointInTime:
        // DBName "is not used for the MySQL engine"). db_name is Computed: no diff.
        ...(restore
          ? { restoreToPointInTime: { sourceDbInstanceAutomatedBackupsArn: restore.automatedBackupsArn, useLatestRestorableTime: true } }
          : { dbName: gitpodDatabase.name }),
        username: gitpodDatabase.username,
        password,
        port: gitpodDatabase.port,
        dbSubnetGroupName: subnetGroup.name,
        vpcSecurityGroupIds: [securityGroup.id],
        parameterGroupName: parameters.name,
        publiclyAccessible: false,
        caCertIdentifier: rdsServerCa,
        backupRetentionPeriod: database.backupRetentionDays,
        backupWindow: "02:00-03:00",
        maintenanceWindow: "sun:03:30-sun:04:30",
        copyTagsToSnapshot: true,
        deleteAutomatedBackups: false,
        deletionProtection: args.protect,
        skipFinalSnapshot: !args.finalSnapshot,
        finalSnapshotIdentifier: args.finalSnapshot ? `${name}-mysql-final` : undefined,
        enabledCloudwatchLogsExports: [...rdsLogExports],
        performanceInsightsEnabled: performanceInsightsSupported(database.machineType),
        performanceInsightsKmsKeyId: performanceInsightsSupported(database.machineType) ? this.kmsKeyArn : undefined,
        applyImmediately: false,
      },
      // The identifier is fixed (the log groups carry it), so a replacement cannot create the new instance beside the
      // old one: the old goes first (with its final snapshot where configured), as Terraform replaces it. Production
      // protects the instance, so a replacement there stops at plan time.
      { parent: this, protect: args.protect, additionalSecretOutputs: ["password"], dependsOn: logGroups, deleteBeforeReplace: true },
    );

    this.host = this.instance.address;
    this.port = this.instance.port;
    this.username = pulumi.output(gitpodDatabase.username);
    this.password = pulumi.secret(password);
    this.registerOutputs({ host: this.host, port: this.port, securityGroupId: this.securityGroupId });
  }
}
