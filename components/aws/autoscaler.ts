import * as k8s from "../../providers/sdk/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { gitpodNodeLabels } from "../platform";
import { policyDocument } from "./common";
import { IrsaRole, irsaAnnotation } from "./identity";

/**
 * The cluster-autoscaler chart, pinned. Source: https://kubernetes.github.io/autoscaler (kubernetes/autoscaler
 * charts/cluster-autoscaler). The image follows the cluster's Kubernetes minor version (see autoscalerImageTag).
 */
export const autoscalerChart = {
  chart: "cluster-autoscaler",
  version: "9.51.0",
  repo: "https://kubernetes.github.io/autoscaler",
  namespace: "kube-system",
  serviceAccount: "cluster-autoscaler",
} as const;

/** The autoscaler's image repository (the Kubernetes project's registry). */
export const autoscalerImageRepository = "registry.k8s.io/autoscaling/cluster-autoscaler";

/**
 * Cluster-autoscaler releases by Kubernetes minor version (tags of autoscalerImageRepository). 1.34 and 1.35 from the
 * autoscaler releases as aws-ia/terraform-aws-eks-blueprints-addons#516 (2026-07) lists them.
 */
export const autoscalerImages: Record<string, string> = {
  "1.33": "v1.33.6",
  "1.34": "v1.34.4",
  "1.35": "v1.35.1",
};

/**
 * The autoscaler's minor version must match the cluster's. Known minors get their pinned patch release; any other
 * gets the minor's first release (`v1.N.0`), which exists for every minor the autoscaler supports.
 */
export function autoscalerImageTag(kubernetesVersion: string): string {
  const minor = kubernetesVersion.split(".").slice(0, 2).join(".");
  return autoscalerImages[minor] ?? `v${minor}.0`;
}

/**
 * What the autoscaler may do: read the Auto Scaling groups, launch templates, instance types and managed node
 * groups (labels for scaling up from zero), and change the size of only the groups EKS tagged as this cluster's.
 */
export function autoscalerPolicy(clusterName: string): string {
  return policyDocument([
    {
      Sid: "Discover",
      Effect: "Allow",
      Action: [
        "autoscaling:DescribeAutoScalingGroups",
        "autoscaling:DescribeAutoScalingInstances",
        "autoscaling:DescribeLaunchConfigurations",
        "autoscaling:DescribeScalingActivities",
        "autoscaling:DescribeTags",
        "ec2:DescribeImages",
        "ec2:DescribeInstanceTypes",
        "ec2:DescribeLaunchTemplateVersions",
        "ec2:GetInstanceTypesFromInstanceRequirements",
        "eks:DescribeNodegroup",
      ],
      Resource: "*",
    },
    {
      Sid: "ScaleOwnGroupsOnly",
      Effect: "Allow",
      Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
      Resource: "*",
      Condition: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: "owned" } },
    },
  ]);
}

/** Helm values: auto-discovery of the cluster's node groups, IRSA, on the services nodes, balanced across zones. */
export function autoscalerValues(args: { clusterName: string; region: string; imageTag: string; roleArn: string }): Record<string, unknown> {
  return {
    cloudProvider: "aws",
    awsRegion: args.region,
    autoDiscovery: { clusterName: args.clusterName },
    image: { repository: autoscalerImageRepository, tag: args.imageTag },
    rbac: {
      create: true,
      serviceAccount: { create: true, name: autoscalerChart.serviceAccount, annotations: { [irsaAnnotation]: args.roleArn } },
    },
    nodeSelector: gitpodNodeLabels.services,
    extraArgs: {
      "balance-similar-node-groups": true,
      expander: "least-waste",
      "skip-nodes-with-system-pods": false,
      "scale-down-unneeded-time": "10m",
    },
  };
}

export interface ClusterAutoscalerArgs {
  /** Kubernetes provider of the cluster. */
  provider: k8s.Provider;
  /** EKS cluster name (auto-discovery tags). */
  clusterName: string;
  /** Region of the Auto Scaling groups. */
  region: string;
  /** Kubernetes version of the cluster; picks the autoscaler release. */
  kubernetesVersion: string;
  /** ARN of the cluster's IAM OIDC provider. */
  oidcProviderArn: pulumi.Input<string>;
  /** Issuer URL of the cluster. */
  oidcIssuerUrl: pulumi.Input<string>;
  /** ARN partition. */
  partition: string;
  /** The node groups it scales (and runs on). */
  dependsOn: pulumi.Resource[];
}

/**
 * The Kubernetes cluster autoscaler for the managed node groups. GKE and AKS scale node pools themselves; on EKS a
 * managed node group only has bounds, so without this the workspace pools would never grow past their minimum.
 */
export class ClusterAutoscaler extends pulumi.ComponentResource {
  readonly role: IrsaRole;
  readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: ClusterAutoscalerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:aws:ClusterAutoscaler", name, {}, opts);
    this.role = new IrsaRole(
      `${name}-irsa`,
      {
        oidcProviderArn: args.oidcProviderArn,
        oidcIssuerUrl: args.oidcIssuerUrl,
        partition: args.partition,
        namespace: autoscalerChart.namespace,
        serviceAccount: autoscalerChart.serviceAccount,
        policy: autoscalerPolicy(args.clusterName),
      },
      { parent: this },
    );
    this.release = new k8s.helm.v3.Release(
      `${name}-release`,
      {
        name: "cluster-autoscaler",
        chart: autoscalerChart.chart,
        version: autoscalerChart.version,
        repositoryOpts: { repo: autoscalerChart.repo },
        namespace: autoscalerChart.namespace,
        values: this.role.arn.apply((roleArn) =>
          autoscalerValues({
            clusterName: args.clusterName,
            region: args.region,
            imageTag: autoscalerImageTag(args.kubernetesVersion),
            roleArn,
          }),
        ),
        atomic: true,
        cleanupOnFail: true,
        timeout: 600,
      },
      { parent: this, provider: args.provider, dependsOn: args.dependsOn },
    );
    this.registerOutputs({ roleArn: this.role.arn, status: this.release.status });
  }
}
