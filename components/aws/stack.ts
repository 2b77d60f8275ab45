import * as aws from "../../providers/sdk/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsStackConfig } from "./common";

/**
 * SSM parameter of Canonical's Ubuntu EKS image for a Kubernetes minor version and image serial
 * (https://documentation.ubuntu.com/aws/aws-how-to/instances/find-ubuntu-images/; eksctl pkg/ami/ssm_resolver.go
 * uses the same path: 24.04 on ebs-gp3, 22.04 on ebs-gp2).
 */
export function ubuntuEksAmiParameter(release: "22.04" | "24.04", kubernetesVersion: string, serial: string): string {
  const minor = kubernetesVersion.split(".").slice(0, 2).join(".");
  const volume = release === "22.04" ? "ebs-gp2" : "ebs-gp3";
  return `/aws/service/canonical/ubuntu/eks/${release}/${minor}/stable/${serial}/amd64/hvm/${volume}/ami-id`;
}

/** The nodes' AMI: the configured id, or Canonical's Ubuntu EKS image through its SSM parameter. */
export function nodeImageId(config: AwsStackConfig, opts: pulumi.InvokeOutputOptions): pulumi.Input<string> {
  const image = config.aws.nodeImage;
  if (image.amiId) return image.amiId;
  const name = image.ssmParameter ?? ubuntuEksAmiParameter(image.ubuntuRelease, config.cluster.kubernetesVersion, image.serial);
  return aws.ssm.getParameterOutput({ name }, opts).insecureValue;
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

