import { z } from "zod";
import { cidrPrefix } from "./cidr";

/** Shared building blocks of the stack config schema, so each cloud's section says the same thing the same way. */

/** A fully qualified DNS name such as `gitpod.example.com`: lowercase labels, at least two of them. */
export const domainName = z
  .string()
  .max(253, "must be at most 253 characters")
  .regex(
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/,
    "must be a lowercase DNS name with at least two labels, such as gitpod.example.com",
  );

/** An IPv4 CIDR block such as `10.0.0.0/20`. */
export const ipv4Cidr = z
  .string()
  .regex(
    /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\/(3[0-2]|[12]?\d)$/,
    "must be an IPv4 CIDR block such as 10.0.0.0/20",
  );

/** A Kubernetes minor version such as `1.33`, or a full patch version such as `1.33.5`. */
export const kubernetesVersion = z
  .string()
  .regex(/^1\.\d{2}(\.\d+)?([-+][0-9A-Za-z.-]+)?$/, "must be a Kubernetes version such as 1.33 or 1.33.5");

/** An e-mail address (the ACME account contact). */
export const email = z.email("must be an e-mail address such as ops@example.com");

/** A whole number in a range; the message names the range. */
export const intBetween = (min: number, max: number) =>
  z.number().int(`must be a whole number from ${min} to ${max}`).min(min, `must be from ${min} to ${max}`).max(max, `must be from ${min} to ${max}`);

/** A boolean that also accepts the strings "true" and "false", which is how `pulumi config set` stores a top-level value. */
export const flag = z.union([z.boolean(), z.enum(["true", "false"]).transform((value) => value === "true")], {
  error: "must be true or false",
});

/** A Google Cloud project id. */
export const gcpProjectId = z
  .string()
  .regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, "must be a GCP project id: 6-30 lowercase letters, digits or hyphens");

/** An AWS region such as eu-west-1 (commercial and GovCloud partitions). */
export const awsRegion = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, "must be an AWS region such as eu-west-1");

/** An AWS availability zone name such as eu-west-1a (local zones and wavelength zones are not used). */
export const awsAvailabilityZone = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/, "must be an availability zone such as eu-west-1a");

/** A VPC CIDR of /16 to /20: nodes, load balancers and the database get subnets carved from it (components/aws/network.ts). */
export const awsVpcCidr = ipv4Cidr.refine((cidr) => cidrPrefix(cidr) >= 16 && cidrPrefix(cidr) <= 20, "must be a /16 to /20 block");
