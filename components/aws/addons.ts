import * as aws from "../../providers/sdk/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * Settings of the VPC CNI add-on. Prefix delegation gives every ENI slot a /28, so a node can hold 110 pods (an
 * m6i.xlarge has 58 secondary IPs without it). Its own network-policy agent stays off: Calico enforces policy.
 * ANNOTATE_POD_IP: the EKS user guide and Tigera's EKS guide recommend it with Calico, so that Calico learns a new
 * pod's IP from the annotation at once instead of after the pod's status update (policy applies from the first
 * packet); aws-node needs `patch` on pods for it (components/aws/calico.ts grants it).
 */
export function vpcCniConfiguration(): Record<string, unknown> {
  return {
    enableNetworkPolicy: "false",
    env: { ENABLE_PREFIX_DELEGATION: "true", WARM_PREFIX_TARGET: "1", ANNOTATE_POD_IP: "true" },
  };
}

/** An EKS managed add-on that overwrites the cluster's unmanaged copy of itself, on create and on update. */
export function eksAddon(
  name: string,
  args: { clusterName: pulumi.Input<string>; addonName: string } & Partial<aws.eks.AddonArgs>,
  opts: pulumi.CustomResourceOptions,
): aws.eks.Addon {
  return new aws.eks.Addon(
    `${name}-${args.addonName}`,
    { resolveConflictsOnCreate: "OVERWRITE", resolveConflictsOnUpdate: "OVERWRITE", ...args },
    opts,
  );
}
