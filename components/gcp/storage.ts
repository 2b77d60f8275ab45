import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { ObjectStorage } from "../platform";
import { customRoleId, serviceAccountId } from "./naming";
import { serviceAccountKeyJson } from "./serviceAccountKey";

export interface GitpodStorageArgs {
  /** Project Gitpod creates its buckets in. */
  project: string;
  /** Region Gitpod creates its buckets in. */
  region: string;
  /** Name of the stack, for project-wide names. */
  stack: string;
}

/**
 * What Gitpod's content service does with GCS: it creates one bucket per user and reads, writes and deletes
 * workspace backups in them. The custom role grants exactly those permissions, instead of storage.admin.
 */
export const gitpodStoragePermissions = [
  "storage.buckets.create",
  "storage.buckets.delete",
  "storage.buckets.get",
  "storage.buckets.list",
  "storage.buckets.update",
  "storage.objects.create",
  "storage.objects.delete",
  "storage.objects.get",
  "storage.objects.list",
  "storage.objects.update",
  "storage.multipartUploads.abort",
  "storage.multipartUploads.create",
  "storage.multipartUploads.list",
  "storage.multipartUploads.listParts",
];

/** The identity Gitpod uses for object storage, scoped by a custom role to what Gitpod does with GCS. */
export class GitpodStorage extends pulumi.ComponentResource {
  readonly objectStorage: ObjectStorage;

  constructor(name: string, args: GitpodStorageArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:gcp:Storage", name, {}, opts);
    const role = new gcp.projects.IAMCustomRole(
      `${name}-role`,
      {
        project: args.project,
        roleId: customRoleId(args.stack, "storage"),
        title: `Gitpod object storage (${args.stack})`,
        permissions: gitpodStoragePermissions,
      },
      { parent: this },
    );
    const account = new gcp.serviceaccount.Account(
      `${name}-account`,
      { accountId: serviceAccountId(args.stack, "storage"), displayName: "Gitpod object storage" },
      { parent: this },
    );
    new gcp.projects.IAMMember(
      `${name}-binding`,
      { project: args.project, role: role.name, member: pulumi.interpolate`serviceAccount:${account.email}` },
      { parent: this },
    );
    this.objectStorage = {
      kind: "gcs",
      project: pulumi.output(args.project),
      region: args.region,
      serviceAccountKey: serviceAccountKeyJson(`${name}-key`, account, { parent: this }),
    };
    this.registerOutputs({});
  }
}
