import * as aws from "../../providers/sdk/aws";
import * as pulumi from "@pulumi/pulumi";
import { ImageMirror } from "../platform";

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
  readonly imageMirror: ImageMirror;

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
