import * as aws from "../../providers/sdk/aws";
import * as pulumi from "@pulumi/pulumi";
import { PoolConfig, PoolRole } from "../../config";
import { eksAccessPolicies } from "../../config/aws";
import { eksAddon, vpcCniConfiguration } from "./addons";
import { AwsStackConfig, managedPolicyArn, serviceTrustPolicy } from "./common";
import { IrsaRole } from "./identity";
import { kubeconfig } from "./kubeconfig";
import { ManagedNodeGroup } from "./nodeGroup";
import { clusterNodes } from "./nodes";

/** The EKS access policy ARN for a short policy name of the config. */
export function accessPolicyArn(partition: string, policy: (typeof eksAccessPolicies)[number]): string {
  const names = {
    "cluster-admin": "AmazonEKSClusterAdminPolicy",
    admin: "AmazonEKSAdminPolicy",
    edit: "AmazonEKSEditPolicy",
    view: "AmazonEKSViewPolicy",
  } as const;
  return `arn:${partition}:eks::aws:cluster-access-policy/${names[policy]}`;
}

/**
 * EKS upgrade policy of `cluster.supportPlan`. STANDARD: EKS upgrades the control plane itself when the version's
 * standard support ends (so the config must move first); EXTENDED: the version stays, at the extended-support price
 * per cluster hour. Extended support is only ever an explicit choice (@pulumi/aws ClusterUpgradePolicy.supportType).
 */
export function eksUpgradePolicy(supportPlan: "standard" | "extended"): { supportType: "STANDARD" | "EXTENDED" } {
  return { supportType: supportPlan === "extended" ? "EXTENDED" : "STANDARD" };
}

export interface AccessEntryConfig {
  principalArn: string;
  policy: (typeof eksAccessPolicies)[number];
  namespaces: string[];
}

export interface EksClusterArgs {
  /** EKS cluster name. */
  clusterName: string;
  /** Region of the cluster (kubeconfig, partition). */
  region: string;
  /** ARN partition of the region. */
  partition: string;
  /** Kubernetes version the control plane is pinned to. */
  kubernetesVersion: string;
  /** `cluster.supportPlan`: standard, or paid extended support chosen explicitly. */
  supportPlan: "standard" | "extended";
  /** VPC of the cluster. */
  vpcId: pulumi.Input<string>;
  /** Private subnets for the control plane's ENIs and the nodes. */
  subnetIds: pulumi.Input<string>[];
  /** Kubernetes service CIDR. */
  serviceCidr: string;
  /** Networks allowed to reach the public API endpoint. */
  apiPublicAccessCidrs: string[];
  /** Control-plane log types sent to CloudWatch. */
  logTypes: string[];
  /** Days CloudWatch keeps them. */
  logRetentionDays: number;
  /** Operator principals and their access policies. */
  accessEntries: AccessEntryConfig[];
  /** Size of each node pool. */
  nodePools: Record<PoolRole, PoolConfig>;
  /** AMI id of the Ubuntu EKS image the nodes boot. */
  nodeImageId: pulumi.Input<string>;
  /** AWS CLI profile the kubeconfig uses. */
  kubeconfigProfile?: string;
  /** EKS deletion protection (production): the cluster cannot be deleted until it is turned off. */
  deletionProtection: boolean;
}

/**
 * The cluster's arguments from the stack config, for the primary site and the replica site alike: what differs is
 * the name, the region and its network, and where the nodes' image comes from.
 */
export function eksClusterArgs(
  config: AwsStackConfig,
  site: Pick<EksClusterArgs, "clusterName" | "region" | "partition" | "vpcId" | "subnetIds" | "nodeImageId">,
): EksClusterArgs {
  const { aws: awsConfig } = config;
  return {
    ...site,
    kubernetesVersion: config.cluster.kubernetesVersion,
    supportPlan: config.cluster.supportPlan,
    serviceCidr: awsConfig.network.serviceCidr,
    apiPublicAccessCidrs: awsConfig.network.apiPublicAccessCidrs,
    logTypes: awsConfig.controlPlaneLogs,
    logRetentionDays: awsConfig.controlPlaneLogRetentionDays,
    accessEntries: awsConfig.accessEntries,
    nodePools: config.nodePools,
    kubeconfigProfile: awsConfig.kubeconfigProfile,
    deletionProtection: config.protect,
  };
}

/**
 * The EKS cluster: control plane with secrets encrypted by its own KMS key, control-plane logs with a retention,
 * API authentication by access entries, the IAM OIDC provider for IRSA, the managed add-ons (VPC CNI with prefix
 * delegation, kube-proxy, CoreDNS, EBS CSI) and the three managed node groups on Ubuntu (nodes.ts).
 */
export class EksCluster extends pulumi.ComponentResource {
  readonly cluster: aws.eks.Cluster;
  readonly name: pulumi.Output<string>;
  readonly endpoint: pulumi.Output<string>;
  readonly certificateAuthority: pulumi.Output<string>;
  readonly oidcProviderArn: pulumi.Output<string>;
  readonly oidcIssuerUrl: pulumi.Output<string>;
  /** Security group every node carries. */
  readonly nodeSecurityGroupId: pulumi.Output<string>;
  /** Security group only the services nodes carry; the database lets in this group only. */
  readonly databaseClientSecurityGroupId: pulumi.Output<string>;
  readonly nodeGroups: Record<PoolRole, ManagedNodeGroup>;
  /** Kubeconfig (secret) using `aws eks get-token`. */
  readonly kubeconfig: pulumi.Output<string>;
  /** Add-ons the nodes need before workloads can run (CNI, kube-proxy, CoreDNS). */
  readonly networkAddons: aws.eks.Addon[];

  constructor(name: string, args: EksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:aws:EksCluster", name, {}, opts);
    const { partition, clusterName } = args;
    const child = { parent: this };

    this.cluster = this.controlPlane(name, args);
    const cluster = this.cluster;
    this.name = cluster.name;
    this.endpoint = cluster.endpoint;
    this.certificateAuthority = cluster.certificateAuthority.apply((ca) => ca.data ?? "");
    this.oidcIssuerUrl = cluster.identities.apply((ids) => ids?.[0]?.oidcs?.[0]?.issuer ?? "");
    const oidc = new aws.iam.OpenIdConnectProvider(`${name}-oidc`, { url: this.oidcIssuerUrl, clientIdLists: ["sts.amazonaws.com"] }, child);
    this.oidcProviderArn = oidc.arn;
    this.grantAccess(name, args);

    const irsa = { oidcProviderArn: oidc.arn, oidcIssuerUrl: this.oidcIssuerUrl, partition, namespace: "kube-system" };
    const cniRole = new IrsaRole(`${name}-vpc-cni`, { ...irsa, serviceAccount: "aws-node", managedPolicies: ["AmazonEKS_CNI_Policy"] }, child);
    const vpcCni = eksAddon(
      name,
      { clusterName: cluster.name, addonName: "vpc-cni", serviceAccountRoleArn: cniRole.arn, configurationValues: JSON.stringify(vpcCniConfiguration()) },
      child,
    );
    const kubeProxy = eksAddon(name, { clusterName: cluster.name, addonName: "kube-proxy" }, child);

    const nodes = clusterNodes(
      name,
      {
        clusterName,
        partition,
        cluster,
        endpoint: this.endpoint,
        certificateAuthority: this.certificateAuthority,
        vpcId: args.vpcId,
        subnetIds: args.subnetIds,
        serviceCidr: args.serviceCidr,
        nodePools: args.nodePools,
        nodeImageId: args.nodeImageId,
        networkAddons: [vpcCni, kubeProxy],
      },
      this,
    );
    this.nodeSecurityGroupId = nodes.securityGroup.id;
    this.databaseClientSecurityGroupId = nodes.databaseClients.id;
    this.nodeGroups = nodes.groups;
    const nodeGroupResources = Object.values(nodes.groups).map((g) => g.nodeGroup);

    // CoreDNS and the EBS CSI driver need nodes to schedule on.
    const afterNodes = { parent: this, dependsOn: nodeGroupResources };
    const coreDns = eksAddon(name, { clusterName: cluster.name, addonName: "coredns" }, afterNodes);
    const ebsCsiRole = new IrsaRole(
      `${name}-ebs-csi`,
      { ...irsa, serviceAccount: "ebs-csi-controller-sa", managedPolicies: ["service-role/AmazonEBSCSIDriverPolicy"] },
      child,
    );
    eksAddon(name, { clusterName: cluster.name, addonName: "aws-ebs-csi-driver", serviceAccountRoleArn: ebsCsiRole.arn }, afterNodes);
    this.networkAddons = [vpcCni, kubeProxy, coreDns];

    this.kubeconfig = pulumi.secret(
      pulumi.all([cluster.name, this.endpoint, this.certificateAuthority]).apply(([clusterNameValue, endpoint, ca]) =>
        kubeconfig({ clusterName: clusterNameValue, endpoint, certificateAuthority: ca, region: args.region, profile: args.kubeconfigProfile }),
      ),
    );
    this.registerOutputs({
      name: this.name,
      endpoint: this.endpoint,
      oidcProviderArn: this.oidcProviderArn,
      nodeSecurityGroupId: this.nodeSecurityGroupId,
      kubeconfig: this.kubeconfig,
    });
  }

  /** The control plane, its secrets key, its log group (created first, so EKS does not make one without retention) and its role. */
  private controlPlane(name: string, args: EksClusterArgs): aws.eks.Cluster {
    const { clusterName } = args;
    const secretsKey = new aws.kms.Key(
      `${name}-secrets`,
      { description: `Envelope encryption of Kubernetes secrets of EKS cluster ${clusterName}`, enableKeyRotation: true, deletionWindowInDays: 30 },
      { parent: this },
    );
    new aws.kms.Alias(`${name}-secrets`, { name: `alias/${clusterName}-eks-secrets`, targetKeyId: secretsKey.keyId }, { parent: this });
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: `/aws/eks/${clusterName}/cluster`, retentionInDays: args.logRetentionDays },
      { parent: this },
    );
    const role = new aws.iam.Role(
      `${name}-control-plane`,
      { description: `EKS control plane of ${clusterName}`, assumeRolePolicy: serviceTrustPolicy("eks.amazonaws.com") },
      { parent: this },
    );
    const policy = new aws.iam.RolePolicyAttachment(
      `${name}-control-plane`,
      { role: role.name, policyArn: managedPolicyArn(args.partition, "AmazonEKSClusterPolicy") },
      { parent: this },
    );
    return new aws.eks.Cluster(
      `${name}-eks`,
      {
        name: clusterName,
        version: args.kubernetesVersion,
        roleArn: role.arn,
        vpcConfig: { subnetIds: args.subnetIds, endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: args.apiPublicAccessCidrs },
        kubernetesNetworkConfig: { ipFamily: "ipv4", serviceIpv4Cidr: args.serviceCidr },
        encryptionConfig: { provider: { keyArn: secretsKey.arn }, resources: ["secrets"] },
        enabledClusterLogTypes: args.logTypes,
        accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true },
        // The add-ons are managed below, configured, instead of the unmanaged defaults.
        bootstrapSelfManagedAddons: false,
        upgradePolicy: eksUpgradePolicy(args.supportPlan),
        deletionProtection: args.deletionProtection,
      },
      { parent: this, dependsOn: [logGroup, policy] },
    );
  }

  /** Access entries of the operators, each with its access policy on the whole cluster or some namespaces. */
  private grantAccess(name: string, args: EksClusterArgs): void {
    for (const [index, entry] of args.accessEntries.entries()) {
      const access = new aws.eks.AccessEntry(
        `${name}-access-${index}`,
        { clusterName: this.cluster.name, principalArn: entry.principalArn, type: "STANDARD" },
        { parent: this },
      );
      new aws.eks.AccessPolicyAssociation(
        `${name}-access-${index}`,
        {
          clusterName: this.cluster.name,
          principalArn: access.principalArn,
          policyArn: accessPolicyArn(args.partition, entry.policy),
          accessScope: entry.namespaces.length > 0 ? { type: "namespace", namespaces: entry.namespaces } : { type: "cluster" },
        },
        { parent: this },
      );
    }
  }
}
