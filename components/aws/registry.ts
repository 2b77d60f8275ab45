import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ImageMirror as ImageMirrorTarget } from "../platform";
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

/** ECR Public exists only in the commercial partition (API in us-east-1); GovCloud and China have none. */
export function publicMirrorProblem(region: string): string | undefined {
  if (region.startsWith("us-gov-") || region.startsWith("cn-")) {
    return (
      `aws.region = ${region}: Gitpod's image mirror on AWS is ECR Public, which this partition does not have; ` +
      "set gitpod.imageRepository to a registry Gitpod can log in to with a long-lived credential"
    );
  }
  return undefined;
}

export interface PublicImageMirrorArgs {
  /** Namespace of the repositories: public.ecr.aws/<alias>/<prefix>/<path>. */
  repositoryPrefix: string;
  /** The mirror's repository paths (components/kubernetes/gitpod/mirror mirrorRepositoryPaths). */
  paths: string[];
  /** Protect the repositories from deletion. */
  protect: boolean;
}

/**
 * Gitpod's image mirror on AWS: ECR Public repositories, one per image, which kubelet and registry-facade pull from
 * anonymously. A private ECR cannot serve Gitpod: registry-facade pulls supervisor, workspacekit and the IDE images
 * from the installer's `repository` with only the Gitpod registry's pull secret (gitpod 2022.11.3
 * registry-facade/daemonset.go), here the in-cluster registry's, and ECR tokens expire after 12 hours. The images are
 * public upstream already. Limits: anonymous pulls get 500 GB a month (Amazon ECR Public service quotas, not
 * adjustable); the copy Job pushes with a token Pulumi reads at each update. Create it with the us-east-1 provider.
 */
export class PublicImageMirror extends pulumi.ComponentResource {
  readonly repositories: aws.ecrpublic.Repository[];
  readonly imageMirror: ImageMirrorTarget;

  constructor(name: string, args: PublicImageMirrorArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:aws:PublicImageMirror", name, {}, opts);
    if (args.paths.length === 0) throw new Error("PublicImageMirror: no repository paths");
    this.repositories = args.paths.map(
      (path) =>
        new aws.ecrpublic.Repository(
          `${name}-${path.replace(/[^a-z0-9-]+/g, "-")}`,
          {
            repositoryName: `${args.repositoryPrefix}/${path}`,
            catalogData: { description: `Mirror of a Gitpod Self-Hosted 2022.11 image (${path})`, operatingSystems: ["Linux"] },
            forceDestroy: false,
          },
          { parent: this, protect: args.protect },
        ),
    );
    const first = this.repositories[0];
    const token = aws.ecrpublic.getAuthorizationTokenOutput({}, { parent: this });
    this.imageMirror = {
      // repositoryUri is public.ecr.aws/<registry alias>/<prefix>/<path>: the mirror is that without the path.
      repository: first.repositoryUri.apply((uri) => uri.slice(0, uri.length - args.paths[0].length - 1)),
      push: { server: pulumi.output("public.ecr.aws"), username: token.userName, password: pulumi.secret(token.password) },
      pull: "anonymous",
    };
    this.registerOutputs({ repository: this.imageMirror.repository });
  }
}
