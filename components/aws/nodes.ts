import * as aws from "../../providers/sdk/aws";
import * as pulumi from "@pulumi/pulumi";
import { PoolConfig, PoolRole, poolRoles } from "../../config";
import { gitpodNodeLabels } from "../platform";
import { awsName, managedPolicyArn, serviceTrustPolicy } from "./common";
import { nodeGroupSuffix } from "./common";
import { clusterDnsIp, ManagedNodeGroup, maxPodsPerNode, nodeUserData } from "./nodeGroup";

/**
 * What the nodes' instance role gets: the worker policy, image pulls from ECR (PullOnly, AWS's narrower successor of
 * ReadOnly since 2024, named in the EKS node IAM role guide) and SSM for shell access without SSH. The CNI policy is
 * on the aws-node IRSA role instead: pods cannot use the node's ENI permissions.
 */
export const nodeRolePolicies = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly", "AmazonSSMManagedInstanceCore"] as const;

export interface ClusterNodesArgs {
  clusterName: string;
  partition: string;
  /** The cluster, for its name, endpoint, CA and cluster security group. */
  cluster: aws.eks.Cluster;
  endpoint: pulumi.Output<string>;
  certificateAuthority: pulumi.Output<string>;
  vpcId: pulumi.Input<string>;
  subnetIds: pulumi.Input<string>[];
  serviceCidr: string;
  nodePools: Record<PoolRole, PoolConfig>;
  nodeImageId: pulumi.Input<string>;
  /** Add-ons the nodes need from their first boot (CNI, kube-proxy). */
  networkAddons: aws.eks.Addon[];
}

export interface ClusterNodes {
  securityGroup: aws.ec2.SecurityGroup;
  /** Carried by the services nodes only; the database admits this group, so workspace pods cannot reach it. */
  databaseClients: aws.ec2.SecurityGroup;
  role: aws.iam.Role;
  policies: aws.iam.RolePolicyAttachment[];
  groups: Record<PoolRole, ManagedNodeGroup>;
}

/**
 * The nodes of the cluster, registered under `parent` (the EksCluster): their security group, the services nodes'
 * database-client group, their instance role and its policies, and one managed node group per Gitpod pool. Each node group depends
 * on the policy attachments and the network add-ons, so that on destroy EKS can still drain and delete instances
 * and ENIs before those go (Terraform aws_eks_node_group note).
 */
export function clusterNodes(name: string, args: ClusterNodesArgs, parent: pulumi.Resource): ClusterNodes {
  const { clusterName, cluster } = args;
  const securityGroup = new aws.ec2.SecurityGroup(
    `${name}-nodes`,
    {
      vpcId: args.vpcId,
      description: `Nodes of EKS cluster ${clusterName}; services such as the database admit this group`,
      tags: { Name: `${clusterName}-nodes` },
    },
    { parent },
  );
  new aws.vpc.SecurityGroupEgressRule(
    `${name}-nodes-egress`,
    { securityGroupId: securityGroup.id, ipProtocol: "-1", cidrIpv4: "0.0.0.0/0", description: "Nodes reach anything" },
    { parent },
  );
  // With the VPC CNI a pod's traffic leaves through its node's ENIs and carries the node's security groups (secondary
  // ENIs copy the primary's), so a group only the services nodes carry admits Gitpod's database clients, which all
  // run there (installer: server, ws-manager-bridge, usage, public-api-server, migrations, dbinit have affinity
  // workload_meta), and never a workspace pod (affinity workload_workspace_regular/headless).
  const databaseClients = new aws.ec2.SecurityGroup(
    `${name}-db-clients`,
    {
      vpcId: args.vpcId,
      description: `Services nodes of EKS cluster ${clusterName}: the database admits this group, workspace nodes never carry it`,
      tags: { Name: `${clusterName}-db-clients` },
    },
    { parent },
  );
  new aws.vpc.SecurityGroupEgressRule(
    `${name}-db-clients-egress`,
    { securityGroupId: databaseClients.id, ipProtocol: "-1", cidrIpv4: "0.0.0.0/0", description: "Services nodes reach anything" },
    { parent },
  );
  const role = new aws.iam.Role(
    `${name}-nodes`,
    { description: `Nodes of EKS cluster ${clusterName}`, assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com") },
    { parent },
  );
  const policies = nodeRolePolicies.map(
    (policy) =>
      new aws.iam.RolePolicyAttachment(`${name}-nodes-${policy}`, { role: role.name, policyArn: managedPolicyArn(args.partition, policy) }, { parent }),
  );

  const bootstrap = pulumi.all([cluster.name, args.endpoint, args.certificateAuthority]);
  const groups = {} as Record<PoolRole, ManagedNodeGroup>;
  for (const poolRole of poolRoles) {
    groups[poolRole] = new ManagedNodeGroup(
      `${name}-${nodeGroupSuffix[poolRole]}`,
      {
        role: poolRole,
        pool: args.nodePools[poolRole],
        clusterName,
        eksClusterName: cluster.name,
        nodeGroupName: awsName(`${clusterName}-${nodeGroupSuffix[poolRole]}`),
        imageId: args.nodeImageId,
        userData: bootstrap.apply(([clusterNameValue, endpoint, ca]) =>
          nodeUserData({
            clusterName: clusterNameValue,
            endpoint,
            certificateAuthority: ca,
            dnsClusterIp: clusterDnsIp(args.serviceCidr),
            labels: gitpodNodeLabels[poolRole],
            maxPods: maxPodsPerNode,
            allowUnprivilegedUserNamespaces: poolRole !== "services",
          }),
        ),
        securityGroupIds: [
          cluster.vpcConfig.clusterSecurityGroupId.apply((id) => id ?? ""),
          securityGroup.id,
          ...(poolRole === "services" ? [databaseClients.id] : []),
        ],
        subnetIds: args.subnetIds,
        nodeRoleArn: role.arn,
        dependsOn: [...policies, ...args.networkAddons],
      },
      { parent },
    );
  }
  return { securityGroup, databaseClients, role, policies, groups };
}
