import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";
import { PoolConfig, PoolRole, poolRoles } from "../../config";
import { eksAccessPolicies } from "../../config/aws";
import { gitpodNodeLabels } from "../platform";
import { awsName, managedPolicyArn, serviceTrustPolicy } from "./common";
import { IrsaRole } from "./identity";

/** Pods per node, as Gitpod's reference architecture sets it (needs VPC CNI prefix delegation, see vpcCniConfiguration). */
export const maxPodsPerNode = 110;

/** Root device of Canonical's Ubuntu EKS images. */
export const ubuntuRootDevice = "/dev/sda1";

/** Node group names by pool role (kebab-case, as EKS shows them). */
export const nodeGroupSuffix: Record<PoolRole, string> = {
  services: "services",
  regularWorkspaces: "regular-workspaces",
  headlessWorkspaces: "headless-workspaces",
};

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

/** The cluster DNS service address: the tenth address of the service CIDR, as EKS assigns it to CoreDNS. */
export function clusterDnsIp(serviceCidr: string): string {
  const [address] = serviceCidr.split("/");
  const octets = address.split(".").map(Number);
  const value = octets.reduce((acc, octet) => acc * 256 + octet, 0) + 10;
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

/**
 * Settings of the VPC CNI add-on. Prefix delegation gives every ENI slot a /28, so a node can hold 110 pods (an
 * m6i.xlarge has 58 secondary IPs without it). Its own network-policy agent stays off: Calico enforces policy.
 */
export function vpcCniConfiguration(): Record<string, unknown> {
  return {
    enableNetworkPolicy: "false",
    env: { ENABLE_PREFIX_DELEGATION: "true", WARM_PREFIX_TARGET: "1" },
  };
}

/**
 * Root volume of a node, encrypted. Workspace nodes do heavy image and disk I/O, so they get 6000 IOPS (and
 * 500 MB/s on gp3) where services nodes get gp3's baseline 3000 IOPS / 125 MB/s; io1/io2 need their IOPS stated.
 */
export function rootVolume(role: PoolRole, pool: PoolConfig): aws.types.input.ec2.LaunchTemplateBlockDeviceMappingEbs {
  const workspace = role !== "services";
  const iops = workspace ? 6000 : 3000;
  const performance =
    pool.diskType === "gp3"
      ? { iops, throughput: workspace ? 500 : 125 }
      : pool.diskType === "io1" || pool.diskType === "io2"
        ? { iops }
        : {};
  return {
    volumeSize: pool.diskSizeGb,
    volumeType: pool.diskType,
    encrypted: "true",
    deleteOnTermination: "true",
    ...performance,
  };
}

export interface NodeBootstrap {
  clusterName: string;
  endpoint: string;
  certificateAuthority: string;
  dnsClusterIp: string;
  labels: Record<string, string>;
  maxPods: number;
}

/**
 * User data that joins a node running Canonical's Ubuntu EKS image to the cluster. A managed node group with a
 * custom AMI gets no bootstrap from EKS, so the launch template carries it: /etc/eks/bootstrap.sh with the endpoint
 * and CA (no DescribeCluster call at boot), the cluster DNS address, 110 max pods and the pool's labels (so the
 * labels are there from the node's first registration, before EKS reconciles the node group's labels).
 */
export function nodeUserData(node: NodeBootstrap): string {
  const labels = Object.entries(node.labels)
    .map(([key, value]) => `${key}=${value}`)
    .join(",");
  const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;
  const script = [
    "#!/bin/bash",
    "set -o errexit -o pipefail -o nounset",
    `/etc/eks/bootstrap.sh ${quote(node.clusterName)} \\`,
    `  --apiserver-endpoint ${quote(node.endpoint)} \\`,
    `  --b64-cluster-ca ${quote(node.certificateAuthority)} \\`,
    `  --dns-cluster-ip ${quote(node.dnsClusterIp)} \\`,
    "  --use-max-pods false \\",
    `  --kubelet-extra-args ${quote(`--max-pods=${node.maxPods} --node-labels=${labels}`)}`,
  ].join("\n");
  const boundary = "==GITPOD-NODE==";
  return [
    "MIME-Version: 1.0",
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    "",
    `--${boundary}`,
    'Content-Type: text/x-shellscript; charset="us-ascii"',
    "",
    script,
    "",
    `--${boundary}--`,
    "",
  ].join("\n");
}

export interface KubeconfigArgs {
  clusterName: string;
  endpoint: string;
  certificateAuthority: string;
  region: string;
  /** AWS CLI profile for `aws eks get-token`; unset uses the ambient credentials. */
  profile?: string;
}

/** A kubeconfig that authenticates with `aws eks get-token` (short-lived tokens, no static credentials). */
export function kubeconfig(args: KubeconfigArgs): string {
  const context = args.clusterName;
  return YAML.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: context, cluster: { server: args.endpoint, "certificate-authority-data": args.certificateAuthority } }],
    contexts: [{ name: context, context: { cluster: context, user: context } }],
    "current-context": context,
    preferences: {},
    users: [
      {
        name: context,
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "aws",
            args: ["eks", "get-token", "--cluster-name", args.clusterName, "--region", args.region, "--output", "json"],
            ...(args.profile ? { env: [{ name: "AWS_PROFILE", value: args.profile }] } : {}),
            interactiveMode: "Never",
            provideClusterInfo: false,
          },
        },
      },
    ],
  });
}

/** Cluster-autoscaler tags of a node group: auto-discovery, and the labels of its nodes for scaling up from zero. */
export function autoscalerTags(clusterName: string, labels: Record<string, string>): Record<string, string> {
  return {
    "k8s.io/cluster-autoscaler/enabled": "true",
    [`k8s.io/cluster-autoscaler/${clusterName}`]: "owned",
    ...Object.fromEntries(Object.entries(labels).map(([key, value]) => [`k8s.io/cluster-autoscaler/node-template/label/${key}`, value])),
  };
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
 * The EKS cluster: control plane with secrets encrypted by its own KMS key, control-plane logs with a retention,
 * API authentication by access entries, the IAM OIDC provider for IRSA, the managed add-ons (VPC CNI with prefix
 * delegation, kube-proxy, CoreDNS, EBS CSI) and the three managed node groups on Ubuntu.
 */
export class EksCluster extends pulumi.ComponentResource {
  readonly cluster: aws.eks.Cluster;
  readonly name: pulumi.Output<string>;
  readonly endpoint: pulumi.Output<string>;
  readonly certificateAuthority: pulumi.Output<string>;
  readonly oidcProviderArn: pulumi.Output<string>;
  readonly oidcIssuerUrl: pulumi.Output<string>;
  /** Security group every node carries; the database lets in this group only. */
  readonly nodeSecurityGroupId: pulumi.Output<string>;
  readonly nodeGroups: Record<PoolRole, ManagedNodeGroup>;
  /** Kubeconfig (secret) using `aws eks get-token`. */
  readonly kubeconfig: pulumi.Output<string>;
  /** Add-ons the nodes need before workloads can run (CNI, kube-proxy, CoreDNS). */
  readonly networkAddons: aws.eks.Addon[];

  constructor(name: string, args: EksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:aws:EksCluster", name, {}, opts);
    const { partition, clusterName } = args;

    const secretsKey = new aws.kms.Key(
      `${name}-secrets`,
      {
        description: `Envelope encryption of Kubernetes secrets of EKS cluster ${clusterName}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
      },
      { parent: this },
    );
    new aws.kms.Alias(`${name}-secrets`, { name: `alias/${clusterName}-eks-secrets`, targetKeyId: secretsKey.keyId }, { parent: this });

    // Created before the cluster so that EKS does not create it without a retention.
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      { name: `/aws/eks/${clusterName}/cluster`, retentionInDays: args.logRetentionDays },
      { parent: this },
    );

    const clusterRole = new aws.iam.Role(
      `${name}-control-plane`,
      { description: `EKS control plane of ${clusterName}`, assumeRolePolicy: serviceTrustPolicy("eks.amazonaws.com") },
      { parent: this },
    );
    const clusterPolicy = new aws.iam.RolePolicyAttachment(
      `${name}-control-plane`,
      { role: clusterRole.name, policyArn: managedPolicyArn(partition, "AmazonEKSClusterPolicy") },
      { parent: this },
    );

    this.cluster = new aws.eks.Cluster(
      `${name}-eks`,
      {
        name: clusterName,
        version: args.kubernetesVersion,
        roleArn: clusterRole.arn,
        vpcConfig: {
          subnetIds: args.subnetIds,
          endpointPrivateAccess: true,
          endpointPublicAccess: true,
          publicAccessCidrs: args.apiPublicAccessCidrs,
        },
        kubernetesNetworkConfig: { ipFamily: "ipv4", serviceIpv4Cidr: args.serviceCidr },
        encryptionConfig: { provider: { keyArn: secretsKey.arn }, resources: ["secrets"] },
        enabledClusterLogTypes: args.logTypes,
        accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: true },
        // The add-ons are managed below, configured, instead of the unmanaged defaults.
        bootstrapSelfManagedAddons: false,
        // Upgrades are config changes; STANDARD avoids extended-support charges (EKS upgrades itself at end of support).
        upgradePolicy: { supportType: "STANDARD" },
        deletionProtection: args.deletionProtection,
      },
      { parent: this, dependsOn: [logGroup, clusterPolicy] },
    );
    const cluster = this.cluster;
    this.name = cluster.name;
    this.endpoint = cluster.endpoint;
    this.certificateAuthority = cluster.certificateAuthority.apply((ca) => ca.data ?? "");
    this.oidcIssuerUrl = cluster.identities.apply((ids) => ids?.[0]?.oidcs?.[0]?.issuer ?? "");

    const oidc = new aws.iam.OpenIdConnectProvider(
      `${name}-oidc`,
      { url: this.oidcIssuerUrl, clientIdLists: ["sts.amazonaws.com"] },
      { parent: this },
    );
    this.oidcProviderArn = oidc.arn;

    for (const [index, entry] of args.accessEntries.entries()) {
      const access = new aws.eks.AccessEntry(
        `${name}-access-${index}`,
        { clusterName: cluster.name, principalArn: entry.principalArn, type: "STANDARD" },
        { parent: this },
      );
      new aws.eks.AccessPolicyAssociation(
        `${name}-access-${index}`,
        {
          clusterName: cluster.name,
          principalArn: access.principalArn,
          policyArn: accessPolicyArn(partition, entry.policy),
          accessScope: entry.namespaces.length > 0 ? { type: "namespace", namespaces: entry.namespaces } : { type: "cluster" },
        },
        { parent: this },
      );
    }

    const irsa = { oidcProviderArn: oidc.arn, oidcIssuerUrl: this.oidcIssuerUrl, partition };
    const cniRole = new IrsaRole(
      `${name}-vpc-cni`,
      { ...irsa, namespace: "kube-system", serviceAccount: "aws-node", managedPolicies: ["AmazonEKS_CNI_Policy"] },
      { parent: this },
    );
    const addon = (addonName: string, extra: Partial<aws.eks.AddonArgs> = {}, dependsOn: pulumi.Resource[] = []) =>
      new aws.eks.Addon(
        `${name}-${addonName}`,
        {
          clusterName: cluster.name,
          addonName,
          resolveConflictsOnCreate: "OVERWRITE",
          resolveConflictsOnUpdate: "OVERWRITE",
          ...extra,
        },
        { parent: this, dependsOn },
      );
    const vpcCni = addon("vpc-cni", {
      serviceAccountRoleArn: cniRole.arn,
      configurationValues: JSON.stringify(vpcCniConfiguration()),
    });
    const kubeProxy = addon("kube-proxy");

    const nodeSecurityGroup = new aws.ec2.SecurityGroup(
      `${name}-nodes`,
      {
        vpcId: args.vpcId,
        description: `Nodes of EKS cluster ${clusterName}; services such as the database admit this group`,
        tags: { Name: `${clusterName}-nodes` },
      },
      { parent: this },
    );
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-nodes-egress`,
      { securityGroupId: nodeSecurityGroup.id, ipProtocol: "-1", cidrIpv4: "0.0.0.0/0", description: "Nodes reach anything" },
      { parent: this },
    );
    this.nodeSecurityGroupId = nodeSecurityGroup.id;

    const nodeRole = new aws.iam.Role(
      `${name}-nodes`,
      { description: `Nodes of EKS cluster ${clusterName}`, assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com") },
      { parent: this },
    );
    // The CNI policy is on the aws-node IRSA role, not here: pods cannot use the node's ENI permissions.
    const nodePolicies = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryReadOnly", "AmazonSSMManagedInstanceCore"].map(
      (policy) =>
        new aws.iam.RolePolicyAttachment(
          `${name}-nodes-${policy}`,
          { role: nodeRole.name, policyArn: managedPolicyArn(partition, policy) },
          { parent: this },
        ),
    );

    const bootstrap = pulumi.all([cluster.name, this.endpoint, this.certificateAuthority]);
    const groups = {} as Record<PoolRole, ManagedNodeGroup>;
    for (const role of poolRoles) {
      groups[role] = new ManagedNodeGroup(
        `${name}-${nodeGroupSuffix[role]}`,
        {
          role,
          pool: args.nodePools[role],
          clusterName,
          eksClusterName: cluster.name,
          nodeGroupName: awsName(`${clusterName}-${nodeGroupSuffix[role]}`),
          imageId: args.nodeImageId,
          userData: bootstrap.apply(([clusterNameValue, endpoint, ca]) =>
            nodeUserData({
              clusterName: clusterNameValue,
              endpoint,
              certificateAuthority: ca,
              dnsClusterIp: clusterDnsIp(args.serviceCidr),
              labels: gitpodNodeLabels[role],
              maxPods: maxPodsPerNode,
            }),
          ),
          securityGroupIds: [cluster.vpcConfig.clusterSecurityGroupId.apply((id) => id ?? ""), nodeSecurityGroup.id],
          subnetIds: args.subnetIds,
          nodeRoleArn: nodeRole.arn,
        },
        { parent: this, dependsOn: [...nodePolicies, vpcCni, kubeProxy] },
      );
    }
    this.nodeGroups = groups;
    const nodeGroupResources = Object.values(groups).map((g) => g.nodeGroup);

    // CoreDNS and the EBS CSI driver need nodes to schedule on.
    const coreDns = addon("coredns", {}, nodeGroupResources);
    const ebsCsiRole = new IrsaRole(
      `${name}-ebs-csi`,
      {
        ...irsa,
        namespace: "kube-system",
        serviceAccount: "ebs-csi-controller-sa",
        managedPolicies: ["service-role/AmazonEBSCSIDriverPolicy"],
      },
      { parent: this },
    );
    addon("aws-ebs-csi-driver", { serviceAccountRoleArn: ebsCsiRole.arn }, nodeGroupResources);
    this.networkAddons = [vpcCni, kubeProxy, coreDns];

    this.kubeconfig = pulumi.secret(
      bootstrap.apply(([clusterNameValue, endpoint, ca]) =>
        kubeconfig({
          clusterName: clusterNameValue,
          endpoint,
          certificateAuthority: ca,
          region: args.region,
          profile: args.kubeconfigProfile,
        }),
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
}

export interface ManagedNodeGroupArgs {
  /** Which Gitpod pool this is; picks the labels and the disk performance. */
  role: PoolRole;
  /** Machine type, disk and autoscaling bounds. */
  pool: PoolConfig;
  /** EKS cluster name (autoscaler tags). */
  clusterName: string;
  /** The cluster's name as its output, so that the node group waits for the cluster. */
  eksClusterName: pulumi.Input<string>;
  /** Name of the node group in EKS. */
  nodeGroupName: string;
  /** Ubuntu EKS AMI id. */
  imageId: pulumi.Input<string>;
  /** User data that bootstraps the node (see nodeUserData). */
  userData: pulumi.Input<string>;
  /** The cluster security group and the node security group. */
  securityGroupIds: pulumi.Input<string>[];
  /** Private subnets, one per zone. */
  subnetIds: pulumi.Input<string>[];
  /** IAM role of the nodes. */
  nodeRoleArn: pulumi.Input<string>;
}

/** One EKS managed node group on a custom Ubuntu AMI, through its own launch template. */
export class ManagedNodeGroup extends pulumi.ComponentResource {
  readonly nodeGroup: aws.eks.NodeGroup;
  readonly launchTemplate: aws.ec2.LaunchTemplate;
  readonly labels: Record<string, string>;

  constructor(name: string, args: ManagedNodeGroupArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:aws:ManagedNodeGroup", name, {}, opts);
    this.labels = gitpodNodeLabels[args.role];

    this.launchTemplate = new aws.ec2.LaunchTemplate(
      `${name}-lt`,
      {
        description: `Ubuntu EKS nodes of ${args.nodeGroupName}`,
        imageId: args.imageId,
        userData: pulumi.output(args.userData).apply((data) => Buffer.from(data, "utf8").toString("base64")),
        vpcSecurityGroupIds: args.securityGroupIds,
        ebsOptimized: "true",
        blockDeviceMappings: [{ deviceName: ubuntuRootDevice, ebs: rootVolume(args.role, args.pool) }],
        // IMDSv2 only, one hop: pods cannot reach the node's credentials, they use IRSA.
        metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
        monitoring: { enabled: true },
        tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({
          resourceType,
          tags: { Name: args.nodeGroupName, "gitpod.io/pool": args.role },
        })),
        updateDefaultVersion: true,
      },
      { parent: this },
    );

    this.nodeGroup = new aws.eks.NodeGroup(
      `${name}-ng`,
      {
        clusterName: args.eksClusterName,
        nodeGroupName: args.nodeGroupName,
        nodeRoleArn: args.nodeRoleArn,
        subnetIds: args.subnetIds,
        instanceTypes: [args.pool.machineType],
        capacityType: "ON_DEMAND",
        scalingConfig: { minSize: args.pool.minNodes, maxSize: args.pool.maxNodes, desiredSize: Math.max(args.pool.minNodes, 1) },
        launchTemplate: { id: this.launchTemplate.id, version: this.launchTemplate.latestVersion.apply(String) },
        labels: this.labels,
        // Workspace nodes roll one at a time: every drained node ends running workspaces.
        updateConfig: args.role === "services" ? { maxUnavailablePercentage: 33 } : { maxUnavailable: 1 },
        tags: autoscalerTags(args.clusterName, this.labels),
      },
      // The cluster autoscaler owns the current size.
      { parent: this, ignoreChanges: ["scalingConfig.desiredSize"] },
    );
    this.registerOutputs({ nodeGroupName: this.nodeGroup.nodeGroupName, labels: this.labels });
  }
}
