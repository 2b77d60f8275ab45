import * as aws from "../../providers/sdk/aws";
import * as k8s from "../../providers/sdk/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { labelManagedObjects } from "../managedLabel";
import { ClusterAutoscaler } from "./autoscaler";
import { Calico } from "./calico";
import { EksCluster } from "./cluster";

export interface ClusterAddonsArgs {
  cluster: EksCluster;
  clusterName: string;
  region: string;
  partition: string;
  kubernetesVersion: string;
  /** The stack's AWS provider, for the autoscaler's IAM role. */
  awsProvider: aws.Provider;
}

export interface ClusterAddons {
  calico: Calico;
  autoscaler: ClusterAutoscaler;
  /**
   * The cluster's kubeconfig carrying the node groups, the network add-ons and Calico as dependencies, so that
   * everything the Kubernetes layer deploys with it waits until pods can schedule and policies are enforced.
   */
  kubeconfigWhenReady: pulumi.Output<string>;
}

/**
 * The cluster add-ons that belong to the AWS design (policy engine, node autoscaling), through their own provider
 * and registered under `parent`; the Kubernetes layer makes its own provider from the contract's kubeconfig.
 */
export function clusterAddons(name: string, args: ClusterAddonsArgs, parent: pulumi.Resource): ClusterAddons {
  const { cluster } = args;
  const provider = new k8s.Provider(`${name}-cluster-addons`, { kubeconfig: cluster.kubeconfig }, { parent });
  const nodeGroups = Object.values(cluster.nodeGroups).map((g) => g.nodeGroup);
  const ready = [...nodeGroups, ...cluster.networkAddons];
  // Pulumi's label on the objects declared here too, as on the Kubernetes layer's (components/managedLabel.ts).
  const calico = new Calico(`${name}-calico`, { provider, dependsOn: ready }, { parent, transformations: [labelManagedObjects] });
  const autoscaler = new ClusterAutoscaler(
    `${name}-autoscaler`,
    {
      provider,
      clusterName: args.clusterName,
      region: args.region,
      kubernetesVersion: args.kubernetesVersion,
      oidcProviderArn: cluster.oidcProviderArn,
      oidcIssuerUrl: cluster.oidcIssuerUrl,
      partition: args.partition,
      dependsOn: ready,
    },
    { parent, provider: args.awsProvider },
  );
  const readyForWorkloads: pulumi.Output<unknown>[] = [
    ...nodeGroups.map((group) => group.arn),
    ...cluster.networkAddons.map((addon) => addon.arn),
    calico.ready,
  ];
  const kubeconfigWhenReady = pulumi.all([cluster.kubeconfig, pulumi.all(readyForWorkloads)]).apply(([text]) => text);
  return { calico, autoscaler, kubeconfigWhenReady };
}
