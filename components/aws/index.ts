import * as aws from "../../providers/sdk/aws";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, StackConfig } from "../../config";
import { bucketLockOf } from "../../config/backupLock";
import { awsProviders } from "../../providers/aws";
import { BackupTarget, Platform } from "../platform";
import { AwsBackup } from "./backup";
import { EksCluster, eksClusterArgs } from "./cluster";
import { clusterAddons } from "./clusterAddons";
import { AwsStackConfig, clusterNameOf, partitionOf } from "./common";
import { AwsContractParts, awsPlatformContract } from "./contract";
import { Database, databaseArgs } from "./database";
import { DnsZone } from "./dns";
import { WorkloadIdentities } from "./identity";
import { natGatewaysOf, Network } from "./network";
import { mirrorRepositoryPaths, wantsPlatformMirror } from "../gitpodImages/images";
import { PublicImageMirror, publicMirrorProblem } from "./imageMirror";
import { BucketReplication, ReplicatedPair } from "./replication";
import { lookUpZones, nodeImageId, stackTags } from "./stack";
import { Storage } from "./storage";
import { ReplicaSite, replicaSiteOf, zonesOf } from "../../config/awsReplicaSite";
import { AwsReplicaSite, AwsReplicaSiteArgs, keepFromState, replicaNodeImageId } from "./replicaSite";

export { clusterNameOf } from "./common";
export { lookUpZones, stackTags, ubuntuEksAmiParameter } from "./stack";

export interface AwsPlatformArgs {
  /** The validated stack config of a `cloud: aws` stack. */
  config: Extract<StackConfig, { cloud: "aws" }>;
}

/**
 * The AWS reference architecture: VPC, EKS with three Ubuntu node groups and Calico, RDS MySQL, S3 buckets with
 * least-privilege keys, Route 53 zone, IRSA roles for the in-cluster tools, Velero's backup bucket and the
 * replication of backups and workspace content to the replica region. Returns the platform contract.
 */
export class AwsPlatform extends pulumi.ComponentResource {
  readonly platform: Platform;
  readonly cluster: EksCluster;
  readonly database: Database;
  readonly storage: Storage;
  readonly dns: DnsZone;
  readonly backup: AwsBackup;
  /** Where the stack runs while its region is lost (`backup.failover`). */
  readonly replicaSite?: AwsReplicaSite;
  /** ECR Public mirror Gitpod installs from (components/kubernetes/gitpod/mirror), when the stack uses one. */
  readonly gitpodImageMirror?: PublicImageMirror;

  constructor(name: string, args: AwsPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    const wantsMirror = wantsPlatformMirror(args.config.gitpod, args.config.environment);
    const mirrorProblem = wantsMirror ? publicMirrorProblem(args.config.aws.region) : undefined;
    if (mirrorProblem) throw new ConfigError([mirrorProblem]);
    super("gitpod:aws:Platform", name, {}, opts);
    const { config } = args;
    const { aws: awsConfig, protect } = config;
    const { region } = awsConfig;
    const partition = partitionOf(region);
    const clusterName = clusterNameOf(name);
    const providers = awsProviders(
      name,
      { region, replicaRegion: config.backup.replicaRegion, tags: stackTags(name, config), failover: config.backup.failover },
      { parent: this },
    );
    const child = { parent: this, provider: providers.primary };
    // While the region is lost (backup.failover) nothing may call its APIs: lookups go to the replica region.
    const site = config.backup.failover ? replicaSiteOf(config) : undefined;
    const inReplica = site && providers.replica ? { parent: this, provider: providers.replica } : undefined;
    const lookups = inReplica ?? child;
    let account: pulumi.Output<string> | undefined;
    const accountId = () => (account ??= aws.getCallerIdentityOutput({}, lookups).accountId);
    // The primary's nodes keep their AMI (in state) rather than read the lost region's SSM parameter.
    const keepPrimaryImage = inReplica !== undefined && site !== undefined && awsConfig.nodeImage.amiId === undefined;
    const keepPrimaryZones = inReplica !== undefined && awsConfig.availabilityZones === undefined;

    const network = new Network(
      `${name}-network`,
      {
        region,
        clusterName,
        vpcCidr: awsConfig.network.vpcCidr,
        availabilityZones: awsConfig.availabilityZones ?? (keepPrimaryZones ? zonesOf(region).slice(0, 3) : lookUpZones(region, child)),
        natGateways: natGatewaysOf(config),
      },
      keepPrimaryZones ? { ...child, transformations: [keepFromState("aws:ec2/subnet:Subnet", "availabilityZone")] } : child,
    );
    this.cluster = new EksCluster(
      `${name}-cluster`,
      eksClusterArgs(config, {
        clusterName,
        region,
        partition,
        vpcId: network.vpcId,
        subnetIds: network.privateSubnetIds,
        nodeImageId: keepPrimaryImage ? replicaNodeImageId(config, site, inReplica) : nodeImageId(config, child),
      }),
      keepPrimaryImage ? { ...child, transformations: [keepFromState("aws:ec2/launchTemplate:LaunchTemplate", "imageId")] } : child,
    );
    const addons = clusterAddons(
      name,
      { cluster: this.cluster, clusterName, region, partition, kubernetesVersion: config.cluster.kubernetesVersion, awsProvider: providers.primary },
      this,
    );
    this.database = new Database(
      `${name}-database`,
      databaseArgs(config, {
        clusterName,
        vpcId: network.vpcId,
        subnetIds: network.databaseSubnetIds,
        clientSecurityGroupId: this.cluster.databaseClientSecurityGroupId,
        region,
      }),
      child,
    );
    this.storage = new Storage(
      `${name}-storage`,
      { namePrefix: clusterName, protect, replicaProvider: providers.replica, existingObjectsBucket: awsConfig.objectStorage.existingBucket, partition },
      child,
    );
    if (wantsMirror) {
      this.gitpodImageMirror = new PublicImageMirror(
        `${name}-gitpod-mirror`,
        { repositoryPrefix: "gitpod", paths: mirrorRepositoryPaths(), protect },
        { parent: this, provider: providers.global },
      );
    }
    this.dns = new DnsZone(
      `${name}-dns`,
      {
        domain: config.domain,
        dnssec: config.dns.dnssec,
        accountId: config.dns.dnssec ? accountId() : "",
        partition,
        dnssecKeyProvider: providers.global,
        protect,
        alarmActions: awsConfig.alarmActions,
      },
      child,
    );
    const identities = new WorkloadIdentities(
      `${name}-identity`,
      { oidcProviderArn: this.cluster.oidcProviderArn, oidcIssuerUrl: this.cluster.oidcIssuerUrl, zoneId: this.dns.zoneId, domain: config.domain, partition },
      child,
    );
    this.backup = new AwsBackup(
      `${name}-backup`,
      {
        namePrefix: clusterName,
        region,
        replicaRegion: config.backup.replicaRegion,
        replicaProvider: providers.replica,
        noncurrentVersionDays: config.backup.noncurrentVersionDays,
        veleroRole: identities.roles.velero.role,
        databaseArn: this.database.instance.arn,
        databaseRetentionDays: config.database.backupRetentionDays,
        protect,
        objectLock: bucketLockOf(config.backup),
      },
      child,
    );
    new BucketReplication(`${name}-replication`, { pairs: replicatedPairs(this.storage, this.backup), alarmActions: awsConfig.alarmActions }, child);

    const primary: AwsContractParts = {
      domain: config.domain,
      region,
      cluster: this.cluster,
      kubeconfig: addons.kubeconfigWhenReady,
      database: this.database,
      objectStorage: { bucket: this.storage.objectStorageBucket, credentials: this.storage.objectStorageCredentials },
      registry: { bucket: this.storage.registry.name, credentials: this.storage.registryCredentials },
      dns: this.dns,
      identities,
      backup: this.backup.target,
      imageMirror: this.gitpodImageMirror?.imageMirror,
    };
    if (site && inReplica && providers.replica) {
      this.replicaSite = new AwsReplicaSite(`${name}-replica`, this.replicaSiteArgs(config, site, clusterName, providers.replica), inReplica);
    }
    this.platform = awsPlatformContract(this.replicaSite ? this.failoverContract(primary, this.replicaSite) : primary);
    this.registerOutputs({
      clusterName: this.platform.clusterName,
      nameServers: this.dns.nameServers,
      databaseHost: this.database.host,
      objectStorageBucket: this.storage.objectStorageBucket,
      registryBucket: this.storage.registry.name,
      backupBucket: this.backup.bucket.name,
      objectStorageReplicaBucket: this.storage.objectStorageReplica?.name,
      ...(this.replicaSite ? { failoverDatabaseHost: this.replicaSite.database.host } : {}),
    });
  }

  /** What the replica site is built from: the replicated database backups, the zone, Velero's buckets. */
  private replicaSiteArgs(config: AwsStackConfig, site: ReplicaSite, clusterName: string, replicaProvider: aws.Provider): AwsReplicaSiteArgs {
    const { databaseBackups, databaseBackupsKeyArn, replicaBucket } = this.backup;
    if (!databaseBackups || !databaseBackupsKeyArn || !replicaBucket) throw new Error("backup.failover needs the replicated backups of backup.replicaRegion");
    return {
      config,
      site,
      primaryClusterName: clusterName,
      replicaProvider,
      // The replication's id is the ARN of the replicated automated backups (terraform-provider-aws
      // internal/service/rds/instance_automated_backups_replication.go: d.SetId(DBInstanceAutomatedBackupsArn)).
      databaseRestore: { automatedBackupsArn: databaseBackups.id, kmsKeyArn: databaseBackupsKeyArn, password: this.database.password },
      dnsZoneId: this.dns.zoneId,
      veleroBucketArns: { primary: this.backup.bucket.arn, replica: replicaBucket.arn },
    };
  }

  /**
   * The contract while the primary region is lost: the replica site's cluster, database, registry and identities,
   * Gitpod's object storage on its replica bucket (the existing key already holds it, storage.ts), Velero's volume
   * snapshots in the new cluster's region. `region` is also Gitpod's metadata.region, which Gitpod 2022.11 uses as its
   * S3 region (docs/existing-cluster.md), so it must be the replica bucket's. DNS (global) and the ECR Public mirror stay.
   */
  private failoverContract(primary: AwsContractParts, site: AwsReplicaSite): AwsContractParts {
    const { region } = site;
    const replica = this.storage.objectStorageReplica;
    if (!replica) throw new Error("backup.failover needs the replica of Gitpod's object storage");
    return {
      ...primary,
      region,
      cluster: site.cluster,
      kubeconfig: site.kubeconfig,
      database: site.database,
      objectStorage: { bucket: replica.name, credentials: this.storage.objectStorageCredentials },
      registry: site.registry,
      identities: site.identities,
      backup: this.failoverBackupTarget(primary.backup, region),
    };
  }

  /**
   * Velero after a region loss: the replica bucket becomes its read-write location (restores read it, new backups go
   * there while the lost region's bucket is out of reach), its volume snapshots are taken in the new region.
   */
  private failoverBackupTarget(primary: BackupTarget, region: string): BackupTarget {
    const { replicaBucket } = this.backup;
    if (!replicaBucket) throw new Error("backup.failover needs the replica of Velero's bucket");
    const inRegion = pulumi.output<Record<string, string>>({ region });
    return { ...primary, bucket: replicaBucket.name, config: inRegion, snapshotConfig: inRegion, replica: undefined };
  }
}

/** What replicates to the replica region: Velero's backups (locked like their source) and Gitpod's object storage. */
function replicatedPairs(storage: Storage, backup: AwsBackup): ReplicatedPair[] {
  const pairs: ReplicatedPair[] = [];
  if (backup.replicaBucket) pairs.push({ id: "velero-backups", source: backup.bucket, destination: backup.replicaBucket, objectLock: backup.locked });
  if (storage.objectStorage && storage.objectStorageReplica) pairs.push({ id: "gitpod-objects", source: storage.objectStorage, destination: storage.objectStorageReplica, objectLock: false });
  return pairs;
}
