import * as gcp from "../../providers/sdk/gcp";
import * as pulumi from "@pulumi/pulumi";
import { ObjectStorage } from "../platform";
import { customRoleId, serviceAccountId } from "./naming";
import { serviceAccountKeyJson, ServiceAccountKeyPolicy } from "./serviceAccountKey";

export interface GitpodStorageArgs {
  /** Project Gitpod creates its buckets in. */
  project: string;
  /**
   * Location Gitpod creates its per-user buckets in (installer `metadata.region` becomes the bucket location): a
   * multi-region such as EU keeps workspace content through the loss of one region.
   */
  location: string;
  /** Name of the stack, for project-wide names. */
  stack: string;
  /** Key rotation and the organisation-policy preflight. */
  keyPolicy: ServiceAccountKeyPolicy;
}

/**
 * The bucket names Gitpod 2022.11 uses: `gitpod-<stage>-user-<owner>` (content-service pkg/storage/gcloud.go,
 * gcpBucketName), the stage from KUBE_STAGE: `dev` when unset, as the installer leaves it, else `prod` or `prodcopy`
 * (content-service-api config.go).
 */
export const gitpodBucketPrefixes = ["gitpod-dev-user-", "gitpod-prod-user-", "gitpod-prodcopy-user-"];

/** The IAM condition that limits a binding to Gitpod's buckets and their objects. Pure. */
export function gitpodBucketsCondition(): { title: string; description: string; expression: string } {
  return {
    title: "gitpod-user-buckets",
    description: "Only the per-user buckets Gitpod 2022.11 creates, and their objects",
    expression: gitpodBucketPrefixes.map((prefix) => `resource.name.startsWith("projects/_/buckets/${prefix}")`).join(" || "),
  };
}

/** Creating a bucket is checked on the project (the bucket has no name yet to condition on). */
export const gitpodBucketCreatePermissions = ["storage.buckets.create"];

/**
 * What Gitpod's content service does in its own buckets (content-service pkg/storage/gcloud.go at 2022.11.3):
 * bucket Attrs and Delete, object Attrs, reads, writes (resumable uploads and signed URLs signed locally with the
 * key) and deletes. No bucket update or list, no object update: nothing in 2022.11.3 calls them.
 */
export const gitpodBucketPermissions = [
  "storage.buckets.delete",
  "storage.buckets.get",
  "storage.objects.create",
  "storage.objects.delete",
  "storage.objects.get",
  "storage.objects.list",
  "storage.multipartUploads.abort",
  "storage.multipartUploads.create",
  "storage.multipartUploads.list",
  "storage.multipartUploads.listParts",
];

/**
 * The identity Gitpod uses for object storage: it may create buckets, and act only on buckets named as Gitpod names
 * them, so its key (in the cluster, and in every Velero backup) can neither read nor damage the Velero bucket.
 */
export class GitpodStorage extends pulumi.ComponentResource {
  readonly objectStorage: ObjectStorage;

  constructor(name: string, args: GitpodStorageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:gcp:Storage", name, {}, opts);
    const account = new gcp.serviceaccount.Account(
      `${name}-account`,
      { accountId: serviceAccountId(args.stack, "storage"), displayName: "Gitpod object storage" },
      { parent: this },
    );
    const member = pulumi.interpolate`serviceAccount:${account.email}`;
    const role = (part: string, title: string, permissions: string[]) =>
      new gcp.projects.IAMCustomRole(
        `${name}-${part}-role`,
        { project: args.project, roleId: customRoleId(args.stack, `storage_${part}`), title: `${title} (${args.stack})`, permissions },
        { parent: this },
      );
    const create = role("create", "Gitpod bucket creation", gitpodBucketCreatePermissions);
    new gcp.projects.IAMMember(`${name}-create`, { project: args.project, role: create.name, member }, { parent: this });
    const buckets = role("buckets", "Gitpod user buckets", gitpodBucketPermissions);
    new gcp.projects.IAMMember(
      `${name}-buckets`,
      { project: args.project, role: buckets.name, member, condition: gitpodBucketsCondition() },
      { parent: this },
    );
    this.objectStorage = {
      kind: "gcs",
      project: pulumi.output(args.project),
      region: args.location,
      serviceAccountKey: serviceAccountKeyJson(`${name}-key`, account, args.keyPolicy, { parent: this }),
    };
    this.registerOutputs({});
  }
}
