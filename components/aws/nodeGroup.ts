import * as aws from "../../providers/sdk/aws";
import * as pulumi from "@pulumi/pulumi";
import { PoolConfig, PoolRole } from "../../config";
import { gitpodNodeLabels } from "../platform";

/** Pods per node, as Gitpod's reference architecture sets it (needs VPC CNI prefix delegation, see addons.ts). */
export const maxPodsPerNode = 110;

/** Root device of Canonical's Ubuntu EKS images. */
export const ubuntuRootDevice = "/dev/sda1";

/** The cluster DNS service address: the tenth address of the service CIDR, as EKS assigns it to CoreDNS. */
export function clusterDnsIp(serviceCidr: string): string {
  const [address] = serviceCidr.split("/");
  const octets = address.split(".").map(Number);
  const value = octets.reduce((acc, octet) => acc * 256 + octet, 0) + 10;
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
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
  /**
   * Lift Ubuntu 24.04's AppArmor restriction of unprivileged user namespaces (workspace nodes): Gitpod's workspacekit
   * creates user and mount namespaces inside the unconfined workspace container without CAP_SYS_ADMIN, which the
   * `unprivileged_userns` profile denies. `sysctl -e` ignores the key where the kernel lacks it (22.04).
   */
  allowUnprivilegedUserNamespaces: boolean;
}

/** The sysctl file workspace nodes get (see NodeBootstrap.allowUnprivilegedUserNamespaces). */
export const userNamespacesSysctl = { file: "/etc/sysctl.d/99-gitpod-workspaces.conf", setting: "kernel.apparmor_restrict_unprivileged_userns = 0" };

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
  const userNamespaces = node.allowUnprivilegedUserNamespaces
    ? [`printf '%s\\n' ${quote(userNamespacesSysctl.setting)} > ${userNamespacesSysctl.file}`, `sysctl -e -p ${userNamespacesSysctl.file}`]
    : [];
  const script = [
    "#!/bin/bash",
    "set -o errexit -o pipefail -o nounset",
    ...userNamespaces,
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

/**
 * Cluster-autoscaler tags of a node group: auto-discovery, and the labels of its nodes for scaling up from zero. EKS
 * does not copy node group tags to the Auto Scaling group; the autoscaler reads the labels with
 * eks:DescribeNodegroup instead, so the label templates here document intent more than they steer it.
 */
export function autoscalerTags(clusterName: string, labels: Record<string, string>): Record<string, string> {
  return {
    "k8s.io/cluster-autoscaler/enabled": "true",
    [`k8s.io/cluster-autoscaler/${clusterName}`]: "owned",
    ...Object.fromEntries(Object.entries(labels).map(([key, value]) => [`k8s.io/cluster-autoscaler/node-template/label/${key}`, value])),
  };
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
  /**
   * What the node group itself must wait for and outlive: the node role's policy attachments, the CNI and kube-proxy.
   * Put on the NodeGroup resource, because a component's `dependsOn` never reaches its children.
   */
  dependsOn: pulumi.Resource[];
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
      { parent: this, dependsOn: args.dependsOn, ignoreChanges: ["scalingConfig.desiredSize"] },
    );
    this.registerOutputs({ nodeGroupName: this.nodeGroup.nodeGroupName, labels: this.labels });
  }
}
