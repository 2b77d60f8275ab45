import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, StackConfig } from "../../config";
import { awsProviders } from "../../providers/aws";
import { Platform, ubuntuContainerd } from "../platform";
import { ClusterAutoscaler } from "./autoscaler";
import { AwsBackup } from "./backup";
import { Calico } from "./calico";
import { EksCluster } from "./cluster";
import { awsName, AwsStackConfig, partitionOf } from "./common";
import { Database } from "./database";
import { DnsZone } from "./dns";
import { WorkloadIdentities } from "./identity";
import { Network } from "./network";
import { mirrorRepositoryPaths, wantsPlatformMirror } from "../gitpodImages/images";
import { ImageMirror, PublicImageMirror, publicMirrorProblem } from "./registry";
import { s3Endpoint, Storage } from "./storage";

export interface AwsPlatformArgs {
  /** The validated stack config of a `cloud: aws` stack. */
  config: Extract<StackConfig, { cloud: "aws" }>;
}

/**
 * SSM parameter of Canonical's Ubuntu EKS image for a Kubernetes minor version and image serial
 * (https://documentation.ubuntu.com/aws/aws-how-to/instances/find-ubuntu-images/).
 */
export function ubuntuEksAmiParameter(release: "22.04" | "24.04", kubernetesVersion: string, serial: string): string {
  const minor = kubernetesVersion.split(".").slice(0, 2).join(".");
  const volume = release === "22.04" ? "ebs-gp2" : "ebs-gp3";
  return `/aws/service/canonical/ubuntu/eks/${release}/${minor}/stable/${serial}/amd64/hvm/${volume}/ami-id`;
}

/** The tags every AWS resource of the stack carries (provider default tags); the identifying ones win over config. */
export function stackTags(stack: string, config: AwsStackConfig): Record<string, string> {
  return {
    ...config.aws.tags,
    "gitpod.io/stack": stack,
    "gitpod.io/environment": config.environment,
    "gitpod.io/domain": config.domain,
    "managed-by": "pulumi",
  };
}

/**
 * The first three availability zones of a region that need no opt-in (local zones and wavelength zones do), in
 * AWS's order; a stack that must not depend on a lookup lists its zones in `aws.availabilityZones`.
 */
export function lookUpZones(region: string, opts: pulumi.InvokeOutputOptions): pulumi.Output<string>[] {
  const names = aws.getAvailabilityZonesOutput(
    { region, state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] },
    opts,
  ).names;
  return [0, 1, 2].map((i) =>
    names.apply((all) => {
      if (all.length < 3) throw new Error(`${region} has ${all.length} availability zones without opt-in; the VPC needs three`);
      return all[i];
    }),
  );
}

/** The EKS cluster name of a stack. */
export function clusterNameOf(stack: string): string {
  return awsName(`gitpod-${stack}`, 100);
}

/**
 * The AWS reference architecture: VPC, EKS with three Ubuntu node groups and Calico, RDS MySQL, S3 buckets with
 * least-privilege keys, Route 53 zone, IRSA roles for the in-cluster tools and, when configured, ECR mirror
 * repositories. Returns the platform contract the Kubernetes layer builds on.
 */
export class AwsPlatform extends pulumi.ComponentResource {
  readonly platform: Platform;
  readonly network: Network;
  readonly cluster: EksCluster;
  readonly database: Database;
  readonly storage: Storage;
  readonly dns: DnsZone;
  readonly identities: WorkloadIdentities;
  readonly autoscaler: ClusterAutoscaler;
  /** ECR mirror repositories, when `aws.imageMirror` is set and enabled. */
  readonly imageMirror?: ImageMirror;
  /** ECR Public mirror Gitpod installs from (components/kubernetes/gitpod/mirror), when the stack uses one. */
  readonly gitpodImageMirror?: PublicImageMirror;
  /** Velero's backup bucket, its cross-region replica and the replication of the database's automated backups. */
  readonly backup: AwsBackup;
  /** Provider of the backup replica region, when `backup.replicaRegion` is set. */
  readonly replicaProvider?: aws.Provider;

  constructor(name: string, args: AwsPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    const wantsMirror = wantsPlatformMirror(args.config.gitpod, args.config.environment);
    const mirrorProblem = wantsMirror ? publicMirrorProblem(args.config.aws.region) : undefined;
    if (mirrorProblem) throw new ConfigError([mirrorProblem]);
    super("gitpod:aws:Platform", name, {}, opts);
    const { config } = args;
    const { aws: awsConfig } = config;
    const region = awsConfig.region;
    const partition = partitionOf(region);
    const production = config.environment === "production";
    const clusterName = clusterNameOf(name);

    const providers = awsProviders(
      name,
      { region, replicaRegion: config.backup.replicaRegion, tags: stackTags(name, config) },
      { parent: this },
    );
    this.replicaProvider = providers.replica;
    const provider = providers.primary;
    const child = { parent: this, provider };
    let account: pulumi.Output<string> | undefined;
    const accountId = () => (account ??= aws.getCallerIdentityOutput({}, child).accountId);
    const zones = awsConfig.availabilityZones ?? lookUpZones(region, child);

    this.network = new Network(
      `${name}-network`,
      {
        region,
        clusterName,
        vpcCidr: awsConfig.network.vpcCidr,
        availabilityZones: zones,
        natGateways: awsConfig.network.natGateways ?? (production ? "perZone" : "single"),
      },
      child,
    );

    const image = awsConfig.nodeImage;
    const nodeImageId: pulumi.Input<string> =
      image.amiId ??
      aws.ssm.getParameterOutput(
        { name: image.ssmParameter ?? ubuntuEksAmiParameter(image.ubuntuRelease, config.cluster.kubernetesVersion, image.serial) },
        child,
      ).insecureValue;

    this.cluster = new EksCluster(
      `${name}-cluster`,
      {
        clusterName,
        region,
        partition,
        kubernetesVersion: config.cluster.kubernetesVersion,
        vpcId: this.network.vpcId,
        subnetIds: this.network.privateSubnetIds,
        serviceCidr: awsConfig.network.serviceCidr,
        apiPublicAccessCidrs: awsConfig.network.apiPublicAccessCidrs,
        logTypes: awsConfig.controlPlaneLogs,
        logRetentionDays: awsConfig.controlPlaneLogRetentionDays,
        accessEntries: awsConfig.accessEntries,
        nodePools: config.nodePools,
        nodeImageId,
        kubeconfigProfile: awsConfig.kubeconfigProfile,
        deletionProtection: config.protect,
      },
      child,
    );

    // Cluster add-ons that belong to the AWS design (policy engine, node autoscaling) go in through their own
    // provider; the Kubernetes layer makes its own from the contract's kubeconfig.
    const clusterProvider = new k8s.Provider(`${name}-cluster-addons`, { kubeconfig: this.cluster.kubeconfig }, { parent: this });
    const nodeGroups = Object.values(this.cluster.nodeGroups).map((g) => g.nodeGroup);
    const calico = new Calico(
      `${name}-calico`,
      { provider: clusterProvider, dependsOn: [...nodeGroups, ...this.cluster.networkAddons] },
      { parent: this },
    );
    this.autoscaler = new ClusterAutoscaler(
      `${name}-autoscaler`,
      {
        provider: clusterProvider,
        clusterName,
        region,
        kubernetesVersion: config.cluster.kubernetesVersion,
        oidcProviderArn: this.cluster.oidcProviderArn,
        oidcIssuerUrl: this.cluster.oidcIssuerUrl,
        partition,
        dependsOn: [...nodeGroups, ...this.cluster.networkAddons],
      },
      child,
    );

    this.database = new Database(
      `${name}-database`,
      {
        database: config.database,
        vpcId: this.network.vpcId,
        subnetIds: this.network.databaseSubnetIds,
        clientSecurityGroupId: this.cluster.nodeSecurityGroupId,
        protect: config.protect,
        finalSnapshot: production || config.protect,
        region,
      },
      child,
    );

    this.storage = new Storage(`${name}-storage`, { namePrefix: clusterName, protect: config.protect }, child);

    if (awsConfig.imageMirror?.enabled) {
      this.imageMirror = new ImageMirror(
        `${name}-mirror`,
        {
          repositoryPrefix: awsConfig.imageMirror.repositoryPrefix,
          images: awsConfig.imageMirror.images,
          accountId: accountId(),
          region,
          protect: config.protect,
        },
        child,
      );
    }

    if (wantsMirror) {
      this.gitpodImageMirror = new PublicImageMirror(
        `${name}-gitpod-mirror`,
        { repositoryPrefix: "gitpod", paths: mirrorRepositoryPaths(), protect: config.protect },
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
        protect: config.protect,
      },
      child,
    );

    this.identities = new WorkloadIdentities(
      `${name}-identity`,
      {
        oidcProviderArn: this.cluster.oidcProviderArn,
        oidcIssuerUrl: this.cluster.oidcIssuerUrl,
        zoneId: this.dns.zoneId,
        domain: config.domain,
        partition,
      },
      child,
    );

    this.backup = new AwsBackup(
      `${name}-backup`,
      {
        namePrefix: clusterName,
        region,
        replicaRegion: config.backup.replicaRegion,
        replicaProvider: providers.replica,
        accountId: accountId(),
        noncurrentVersionDays: config.backup.noncurrentVersionDays,
        veleroRole: this.identities.roles.velero.role,
        databaseArn: this.database.instance.arn,
        databaseRetentionDays: config.database.backupRetentionDays,
        protect: config.protect,
      },
      child,
    );

    // The contract's kubeconfig carries the node groups, the network add-ons and Calico as dependencies, so that
    // everything the Kubernetes layer deploys with it waits until pods can schedule and policies are enforced.
    const readyForWorkloads: pulumi.Output<unknown>[] = [
      ...Object.values(this.cluster.nodeGroups).map((g) => g.nodeGroup.arn),
      ...this.cluster.networkAddons.map((addon) => addon.arn),
      calico.release.status,
    ];
    const kubeconfig = pulumi.all([this.cluster.kubeconfig, pulumi.all(readyForWorkloads)]).apply(([text]) => text);

    const endpoint = s3Endpoint(region);
    this.platform = {
      cloud: "aws",
      domain: config.domain,
      clusterName: this.cluster.name,
      kubeconfig,
      nodePools: (Object.keys(this.cluster.nodeGroups) as (keyof typeof this.cluster.nodeGroups)[]).map((role) => ({
        role,
        name: this.cluster.nodeGroups[role].nodeGroup.nodeGroupName,
        labels: this.cluster.nodeGroups[role].labels,
      })),
      containerRuntime: ubuntuContainerd,
      database: {
        kind: "external",
        host: this.database.host,
        port: this.database.port,
        username: this.database.username,
        password: this.database.password,
        database: "gitpod",
        caCertificate: this.database.caCertificate,
      },
      objectStorage: {
        kind: "s3",
        endpoint,
        region,
        bucket: this.storage.objectStorage.name,
        accessKeyId: this.storage.objectStorageCredentials.accessKeyId,
        secretAccessKey: this.storage.objectStorageCredentials.secretAccessKey,
      },
      registry: {
        kind: "inClusterS3",
        bucket: this.storage.registry.name,
        region,
        endpoint,
        accessKeyId: this.storage.registryCredentials.accessKeyId,
        secretAccessKey: this.storage.registryCredentials.secretAccessKey,
      },
      imageMirror: this.gitpodImageMirror?.imageMirror,
      dns: {
        domain: config.domain,
        zoneId: this.dns.zoneId,
        nameServers: this.dns.nameServers,
        acmeDns01Solver: this.dns.zoneId.apply((zoneId): Record<string, unknown> => ({ route53: { region, hostedZoneID: zoneId } })),
        externalDns: {
          provider: "aws",
          extraArgs: this.dns.zoneId.apply((zoneId) => ["--aws-zone-type=public", `--zone-id-filter=${zoneId}`]),
          env: pulumi.output<Record<string, string>>({ AWS_DEFAULT_REGION: region }),
        },
      },
      workloadIdentity: this.identities.bindings,
      backup: this.backup.target,
      metadataRegion: region,
    };

    this.registerOutputs({
      clusterName: this.cluster.name,
      nameServers: this.dns.nameServers,
      databaseHost: this.database.host,
      objectStorageBucket: this.storage.objectStorage.name,
      registryBucket: this.storage.registry.name,
      backupBucket: this.backup.bucket.name,
      mirrorRepositoryUrl: this.imageMirror?.repositoryUrl,
    });
  }
}
