import * as gcp from "../../providers/sdk/gcp";
import * as pulumi from "@pulumi/pulumi";
import { ContainerRegistry, ImageMirror } from "../platform";
import { resourceName, serviceAccountId } from "./naming";
import { serviceAccountKeyJson, ServiceAccountKeyPolicy } from "./serviceAccountKey";

/** Path under the repository that holds the mirror of Gitpod's images (components/kubernetes/gitpod/mirror). */
export const imageMirrorPath = "mirror";

export interface ArtifactRegistryArgs {
  /** Project of the repository. */
  project: string;
  /** Region of the repository; the same as the cluster's keeps pulls in-region. */
  region: string;
  /** Protect the repository (it holds built workspace images). */
  protect: boolean;
  /** Name of the stack, for project-wide names. */
  stack: string;
  /** The image builder's account and key to grant on this repository, or how to make them (key rotation, preflight). */
  writer: RegistryWriter | { keyPolicy: ServiceAccountKeyPolicy };
}

/** The service account Gitpod's image builder pushes as, and its JSON key (secret). */
export interface RegistryWriter {
  account: gcp.serviceaccount.Account;
  key: pulumi.Output<string>;
}

/**
 * Workspace images are rebuilt when missing, so the repository need not keep them forever: untagged versions go after
 * 7 days, any version after 90, but the 5 newest versions of each image are always kept.
 */
export const registryCleanupPolicies = [
  { id: "delete-untagged", action: "DELETE", condition: { tagState: "UNTAGGED", olderThan: `${7 * 86400}s` } },
  { id: "delete-old", action: "DELETE", condition: { tagState: "ANY", olderThan: `${90 * 86400}s` } },
  { id: "keep-recent", action: "KEEP", mostRecentVersions: { keepCount: 5 } },
];

/**
 * Artifact Registry Docker repository for Gitpod's workspace images. Gitpod's image builder logs in with a
 * service account key (`_json_key`) that may write to this repository only.
 */
export class ArtifactRegistry extends pulumi.ComponentResource {
  readonly repository: gcp.artifactregistry.Repository;
  /** The image builder's account and key, which a second repository of the stack can grant. */
  readonly writer: RegistryWriter;
  readonly registry: ContainerRegistry;
  /** Gitpod's images under `<repository>/mirror`: the key above writes there, GKE nodes read with artifactregistry.reader. */
  readonly imageMirror: ImageMirror;

  constructor(name: string, args: ArtifactRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:gcp:Registry", name, {}, opts);
    const repositoryId = resourceName(args.stack, "images");
    this.repository = new gcp.artifactregistry.Repository(
      `${name}-images`,
      {
        location: args.region,
        repositoryId,
        format: "DOCKER",
        mode: "STANDARD_REPOSITORY",
        description: "Gitpod workspace images",
        cleanupPolicies: registryCleanupPolicies,
        cleanupPolicyDryRun: false,
      },
      { parent: this, protect: args.protect },
    );
    this.writer = "account" in args.writer ? args.writer : newWriter(name, args.stack, args.writer.keyPolicy, this);
    const account = this.writer.account;
    new gcp.artifactregistry.RepositoryIamMember(
      `${name}-writer`,
      {
        location: args.region,
        repository: this.repository.name,
        role: "roles/artifactregistry.writer",
        member: pulumi.interpolate`serviceAccount:${account.email}`,
      },
      { parent: this },
    );
    const server = `${args.region}-docker.pkg.dev`;
    this.registry = {
      kind: "external",
      url: pulumi.output(`${server}/${args.project}/${repositoryId}`),
      server: pulumi.output(server),
      username: pulumi.output("_json_key"),
      password: this.writer.key,
    };
    this.imageMirror = {
      repository: pulumi.output(`${server}/${args.project}/${repositoryId}/${imageMirrorPath}`),
      push: { server: this.registry.server, username: this.registry.username, password: this.registry.password },
      pull: "registryPullSecret",
    };
    this.registerOutputs({ url: this.registry.url });
  }
}

/** The image builder's service account and its key (the only login Gitpod 2022.11's image builder takes). */
function newWriter(name: string, stack: string, keyPolicy: ServiceAccountKeyPolicy, parent: pulumi.Resource): RegistryWriter {
  const account = new gcp.serviceaccount.Account(
    `${name}-account`,
    { accountId: serviceAccountId(stack, "registry"), displayName: "Gitpod image builder" },
    { parent },
  );
  return { account, key: serviceAccountKeyJson(`${name}-key`, account, keyPolicy, { parent }) };
}
