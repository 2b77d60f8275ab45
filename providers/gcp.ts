import * as gcp from "./sdk/gcp";
import * as pulumi from "@pulumi/pulumi";

export interface GcpProviderArgs {
  /** Project id every resource goes into. */
  project: string;
  /** Default region. */
  region: string;
  /** Labels put on every resource that supports them. */
  labels: Record<string, string>;
}

/**
 * An explicit GCP provider for the stack's project and region, so that nothing depends on ambient
 * `gcloud config` or `gcp:project` settings. Credentials come from the environment (ADC or workload identity).
 */
export function gcpProvider(name: string, args: GcpProviderArgs, opts?: pulumi.CustomResourceOptions): gcp.Provider {
  return new gcp.Provider(name, { project: args.project, region: args.region, defaultLabels: args.labels }, opts);
}
