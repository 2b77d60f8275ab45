import * as aws from "../../providers/sdk/aws";
import * as pulumi from "@pulumi/pulumi";
import { ReplicaSite } from "../../config/awsReplicaSite";
import { veleroBucketPolicy } from "./backup";
import { bucketPrefix, PrivateBucket } from "./bucket";
import { EksCluster, eksClusterArgs } from "./cluster";
import { clusterAddons } from "./clusterAddons";
import { AwsStackConfig, awsName, partitionOf } from "./common";
import { BucketAccess } from "./contract";
import { Database, databaseArgs, DatabaseRestore } from "./database";
import { WorkloadIdentities } from "./identity";
import { natGatewaysOf, Network } from "./network";
import { nodeImageId } from "./stack";
import { BucketCredentials } from "./storage";

/** The replica site's EKS cluster name: never the primary's, so the Kubernetes layer's provider moves to the new cluster. */
export function failoverClusterName(primaryClusterName: string): string {
  return awsName(`${primaryClusterName}-failover`, 100);
}

export interface AwsReplicaSiteArgs {
  config: AwsStackConfig;
  /** backup.replicaRegion and aws.replicaSite, defaults filled in (config/awsReplicaSite.ts). */
  site: ReplicaSite;
  /** The primary's cluster name (prefix of the site's names). */
  primaryClusterName: string;
  /** Provider of the replica region (also the site component's provider), for the autoscaler's IAM role. */
  replicaProvider: aws.Provider;
  /** The RDS instance restored from the replicated automated backups. */
  databaseRestore: DatabaseRestore;
  /** The Route 53 zone (global) the DNS tools of the new cluster change. */
  dnsZoneId: pulumi.Output<string>;
  /** Velero's buckets: the primary's (unreachable while the region is down) and its replica, read-only. */
  veleroBucketArns: { primary: pulumi.Output<string>; replica: pulumi.Output<string> };
}

/**
 * Where the stack runs once its region is lost (`backup.failover`): in `backup.replicaRegion`, a VPC, the EKS cluster
 * with the same three node groups, Calico and the autoscaler, a MySQL instance restored from the replicated automated
 * backups, a new bucket for the in-cluster registry (its layers are rebuilt) and IRSA roles that trust the new
 * cluster's OIDC issuer. Built with the components of the primary site; nothing of the primary site changes.
 */
export class AwsReplicaSite extends pulumi.ComponentResource {
  readonly region: string;
  readonly cluster: EksCluster;
  /** The new cluster's kubeconfig, once its nodes, network add-ons and Calico are ready. */
  readonly kubeconfig: pulumi.Output<string>;
  readonly database: Database;
  readonly registry: BucketAccess;
  readonly identities: WorkloadIdentities;

  constructor(name: string, args: AwsReplicaSiteArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:aws:ReplicaSite", name, {}, opts);
    const { config, site } = args;
    const { protect } = config;
    const { region } = site;
    this.region = region;
    const partition = partitionOf(region);
    const clusterName = failoverClusterName(args.primaryClusterName);
    const child = { parent: this };

    const network = new Network(
      `${name}-network`,
      {
        region,
        clusterName,
        vpcCidr: site.vpcCidr,
        availabilityZones: site.availabilityZones,
        natGateways: natGatewaysOf(config),
      },
      child,
    );
    this.cluster = new EksCluster(
      `${name}-cluster`,
      eksClusterArgs(config, {
        clusterName,
        region,
        partition,
        vpcId: network.vpcId,
        subnetIds: network.privateSubnetIds,
        nodeImageId: replicaNodeImageId(config, site, { parent: this, provider: args.replicaProvider }),
      }),
      child,
    );
    const addons = clusterAddons(
      name,
      { cluster: this.cluster, clusterName, region, partition, kubernetesVersion: config.cluster.kubernetesVersion, awsProvider: args.replicaProvider },
      this,
    );
    this.kubeconfig = addons.kubeconfigWhenReady;
    this.database = new Database(
      `${name}-database`,
      databaseArgs(config, {
        clusterName,
        vpcId: network.vpcId,
        subnetIds: network.databaseSubnetIds,
        clientSecurityGroupId: this.cluster.databaseClientSecurityGroupId,
        region,
        restore: args.databaseRestore,
      }),
      child,
    );
    // The registry's layers are workspace images Gitpod rebuilds: a new bucket beside the cluster, not a replica.
    const registry = new PrivateBucket(
      `${name}-registry`,
      { bucketPrefix: bucketPrefix(clusterName, "registry"), purpose: "gitpod-registry", noncurrentVersionDays: 7, protect },
      child,
    );
    this.registry = {
      bucket: registry.name,
      credentials: new BucketCredentials(`${name}-registry`, { bucketArns: [registry.arn], purpose: "gitpod-registry" }, child),
    };
    this.identities = new WorkloadIdentities(
      `${name}-identity`,
      { oidcProviderArn: this.cluster.oidcProviderArn, oidcIssuerUrl: this.cluster.oidcIssuerUrl, zoneId: args.dnsZoneId, domain: config.domain, partition },
      child,
    );
    // The new cluster's Velero writes its backups to the replica bucket, its location while the region is lost
    // (AwsPlatform failoverBackupTarget), and may use the primary's bucket again once that region is back.
    const velero = this.identities.roles.velero.role.name;
    new aws.iam.RolePolicy(`${name}-velero-bucket`, { role: velero, policy: args.veleroBucketArns.primary.apply(veleroBucketPolicy) }, child);
    new aws.iam.RolePolicy(`${name}-velero-replica`, { role: velero, policy: args.veleroBucketArns.replica.apply(veleroBucketPolicy) }, child);
    this.registerOutputs({ clusterName: this.cluster.name, databaseHost: this.database.host, registryBucket: registry.name });
  }
}

/**
 * The nodes' AMI in the replica region: `aws.replicaSite.amiId`, or Canonical's SSM parameter of the configured
 * release read there (the same path exists in every region; the AMI id differs).
 */
export function replicaNodeImageId(config: AwsStackConfig, site: ReplicaSite, opts: pulumi.InvokeOutputOptions): pulumi.Input<string> {
  if (site.amiId) return site.amiId;
  return nodeImageId({ ...config, aws: { ...config.aws, nodeImage: { ...config.aws.nodeImage, amiId: undefined } } }, opts);
}

/**
 * For the primary site while its region is lost: a resource keeps an input that the program otherwise reads from the
 * lost region at every `pulumi up` (the nodes' AMI from SSM, the zones of the subnets) from its state instead, so no
 * lookup goes there. `ignoreChanges` makes the engine diff the stored value: nothing in the lost region is updated.
 */
export function keepFromState(type: string, property: string): pulumi.ResourceTransformation {
  return (resource) =>
    resource.type === type ? { props: resource.props, opts: pulumi.mergeOptions(resource.opts, { ignoreChanges: [property] }) } : undefined;
}
