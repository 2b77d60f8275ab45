import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { dnsSuffixOf } from "./common";

/** The registry host of an account's ECR in a region. */
export function ecrHost(accountId: string, region: string): string {
  return `${accountId}.dkr.ecr.${region}.${dnsSuffixOf(region)}`;
}

/** Lifecycle policy of a mirror repository: untagged images (left behind by re-pushes) go after 14 days. */
export function mirrorLifecyclePolicy(): string {
  return JSON.stringify({
    rules: [
      {
        rulePriority: 1,
        description: "Expire untagged images after 14 days",
        selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 14 },
        action: { type: "expire" },
      },
    ],
  });
}

export interface ImageMirrorArgs {
  /** Namespace of the repositories (`<prefix>/<image>`). */
  repositoryPrefix: string;
  /** Image names to create repositories for. */
  images: string[];
  /** Account id, for the registry URL. */
  accountId: pulumi.Input<string>;
  /** Region of the registry. */
  region: string;
  /** Protect the repositories from deletion. */
  protect: boolean;
}

/**
 * ECR repositories to mirror Gitpod's own images into (`gitpod-installer mirror list`), for installs that must not
 * pull from the public registry. Tags are immutable (a mirrored release tag never changes), images are scanned
 * on push. Gitpod's workspace images do not go here: see the in-cluster registry in storage.ts and docs/aws.md.
 */
export class ImageMirror extends pulumi.ComponentResource {
  readonly repositories: aws.ecr.Repository[];
  /** What the Gitpod installer's `repository` setting takes: <account>.dkr.ecr.<region>.amazonaws.com/<prefix>. */
  readonly repositoryUrl: pulumi.Output<string>;

  constructor(name: string, args: ImageMirrorArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:aws:ImageMirror", name, {}, opts);
    this.repositories = args.images.map((image) => {
      const repository = new aws.ecr.Repository(
        `${name}-${image.replace(/[^a-z0-9-]+/g, "-")}`,
        {
          name: `${args.repositoryPrefix}/${image}`,
          imageTagMutability: "IMMUTABLE",
          imageScanningConfiguration: { scanOnPush: true },
          encryptionConfigurations: [{ encryptionType: "AES256" }],
          forceDelete: false,
        },
        { parent: this, protect: args.protect },
      );
      new aws.ecr.LifecyclePolicy(
        `${name}-${image.replace(/[^a-z0-9-]+/g, "-")}`,
        { repository: repository.name, policy: mirrorLifecyclePolicy() },
        { parent: this },
      );
      return repository;
    });
    this.repositoryUrl = pulumi.interpolate`${pulumi.output(args.accountId).apply((id) => ecrHost(id, args.region))}/${args.repositoryPrefix}`;
    this.registerOutputs({ repositoryUrl: this.repositoryUrl });
  }
}
