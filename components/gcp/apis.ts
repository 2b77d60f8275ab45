import * as gcp from "../../providers/sdk/gcp";
import * as pulumi from "@pulumi/pulumi";

/** The Google APIs the reference architecture uses; enabling them makes a fresh project work on the first `pulumi up`. */
export const requiredApis = [
  "compute.googleapis.com",
  "container.googleapis.com",
  "sqladmin.googleapis.com",
  "storage.googleapis.com",
  "servicenetworking.googleapis.com",
  "artifactregistry.googleapis.com",
  "dns.googleapis.com",
  "iam.googleapis.com",
  // Velero's GCP plugin signs download URLs through it (velero-plugin-for-gcp object_store.go, SignBlob).
  "iamcredentials.googleapis.com",
  "cloudresourcemanager.googleapis.com",
  "cloudkms.googleapis.com",
  "monitoring.googleapis.com",
] as const;

export interface ProjectApisArgs {
  /** Project the APIs are enabled in. */
  project: string;
}

/** Enables the required APIs and never disables them on destroy (other workloads of the project may use them). */
export class ProjectApis extends pulumi.ComponentResource {
  readonly services: gcp.projects.Service[];

  constructor(name: string, args: ProjectApisArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:gcp:ProjectApis", name, {}, opts);
    this.services = requiredApis.map(
      (api) =>
        new gcp.projects.Service(
          `${name}-${api.split(".")[0]}`,
          { project: args.project, service: api, disableOnDestroy: false, disableDependentServices: false },
          { parent: this },
        ),
    );
    this.registerOutputs({});
  }
}
