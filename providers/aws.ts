import * as aws from "./sdk/aws";
import * as pulumi from "@pulumi/pulumi";

export interface AwsProviderArgs {
  /** Region every resource of this provider goes into. */
  region: string;
  /** Tags put on every resource that supports them (provider default tags). */
  tags: Record<string, string>;
  /** Region of the STS calls the provider makes when it is configured (credential check, account id); default: region. */
  stsRegion?: string;
}

/**
 * An explicit AWS provider for one region with default tags, so that nothing depends on an ambient
 * `aws:region` setting or AWS_REGION. Credentials come from the environment (profile, SSO, role, OIDC).
 */
export function awsProvider(name: string, args: AwsProviderArgs, opts?: pulumi.CustomResourceOptions): aws.Provider {
  return new aws.Provider(name, { region: args.region, defaultTags: { tags: args.tags }, ...(args.stsRegion ? { stsRegion: args.stsRegion } : {}) }, opts);
}

/** The providers of an AWS stack: its region, and the replica region for backups when the config sets one. */
export interface AwsProviders {
  primary: aws.Provider;
  /** Provider of the backup replica region; undefined when the stack has none. */
  replica?: aws.Provider;
  /** Route 53's home region (us-east-1; us-gov-west-1 in GovCloud), where DNSSEC signing keys must live in KMS. */
  global: aws.Provider;
}

export interface AwsProvidersArgs {
  region: string;
  replicaRegion?: string;
  tags: Record<string, string>;
  /** The region is lost (`backup.failover`): the primary provider still diffs its resources, without calls. */
  failover?: boolean;
}

/** Route 53's home region of the partition a region belongs to. */
export function route53HomeRegion(region: string): string {
  return region.startsWith("us-gov-") ? "us-gov-west-1" : "us-east-1";
}

/** Builds the providers of an AWS stack, named `${name}-aws`, `${name}-aws-replica` and `${name}-aws-global`. */
export function awsProviders(name: string, args: AwsProvidersArgs, opts?: pulumi.CustomResourceOptions): AwsProviders {
  // When the provider is configured it validates the credentials "via STS API" and requests the account id, and
  // `stsRegion` is "the region where AWS STS operations will take place" (the provider schema, @pulumi/aws
  // provider.d.ts); after a region loss that region's STS may be down, so the primary provider asks the replica
  // region's. A provider setting only: no resource changes.
  const stsRegion = args.failover ? args.replicaRegion : undefined;
  const primary = awsProvider(`${name}-aws`, { region: args.region, tags: args.tags, stsRegion }, opts);
  const replica =
    args.replicaRegion === undefined
      ? undefined
      : awsProvider(`${name}-aws-replica`, { region: args.replicaRegion, tags: args.tags }, opts);
  const home = route53HomeRegion(args.region);
  const global = args.region === home ? primary : awsProvider(`${name}-aws-global`, { region: home, tags: args.tags }, opts);
  return { primary, replica, global };
}
