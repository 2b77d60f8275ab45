import { ConfigError, configNamespace } from "../../../../config";
import { GitpodConfig } from "../../../../config/gitpod";
import { mirrorTarget, ReleaseImage, releaseImages, releaseVersion, upstreamRepository, wantsPlatformMirror } from "../../../gitpodImages/images";

export { wantsPlatformMirror };

/**
 * Where Gitpod's images come from for a stack, and which of them the stack's render uses. Pure: tested directly.
 */

/**
 * The copy and preflight Jobs' tool: regclient's regctl (copies every platform of an image, compares digests with
 * HEAD requests) in its Alpine variant, which has the shell the scripts need. From ghcr.io, which is none of the
 * registries at risk here. Pinned by tag: its digest could not be read offline (docs/decisions.md); pin one with
 * `gitpod.mirror.toolImage`.
 */
export const defaultToolImage = "ghcr.io/regclient/regctl:v0.11.5-alpine";

/** What the platform offers as a mirror (see Platform.imageMirror): a mirror on the stack's registry, or none. */
export type ImageSource =
  /** Gitpod's own upstream registries (development stacks). */
  | { kind: "upstream"; repository: string }
  /** The mirror on the platform's registry: copied by the copy Job, then installed from. */
  | { kind: "platformMirror" }
  /** A registry the operator names in `gitpod.imageRepository` and fills themselves (air gap). */
  | { kind: "userRepository"; repository: string };

/**
 * Chooses the source. An explicit `gitpod.imageRepository` wins; otherwise production uses the platform's mirror and
 * development pulls upstream, unless `gitpod.mirror.enabled` says otherwise. Throws ConfigError for what cannot work.
 */
export function imageSourceOf(
  gitpod: Pick<GitpodConfig, "imageRepository" | "mirror" | "version">,
  environment: "production" | "development",
  platformHasMirror: boolean,
): ImageSource {
  const key = `${configNamespace}:gitpod`;
  if (gitpod.version !== releaseVersion && wantsPlatformMirror(gitpod, environment)) {
    throw new ConfigError([
      `${key}.version = ${JSON.stringify(gitpod.version)}: the mirror's image list is of ${releaseVersion} (facts/gitpod/images-${releaseVersion}.json); ` +
        `regenerate it for ${gitpod.version} (facts/gitpod/images-regenerate.ts), or set gitpod.mirror.enabled to false, or name a registry you filled in gitpod.imageRepository`,
    ]);
  }
  if (gitpod.imageRepository !== upstreamRepository) {
    if (/\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?(\/|$)/.test(gitpod.imageRepository)) {
      throw new ConfigError([
        `${key}.imageRepository = ${JSON.stringify(gitpod.imageRepository)}: a private ECR repository cannot serve Gitpod: registry-facade pulls ` +
          "supervisor, workspacekit and the IDE images from `repository` with only the Gitpod registry's pull secret (gitpod 2022.11.3 " +
          "registry-facade/daemonset.go), which holds no ECR token (they expire after 12 hours); leave imageRepository unset to use the " +
          "AWS platform's ECR Public mirror, or name a registry with a long-lived login",
      ]);
    }
    return { kind: "userRepository", repository: gitpod.imageRepository };
  }
  if (!wantsPlatformMirror(gitpod, environment)) return { kind: "upstream", repository: upstreamRepository };
  if (!platformHasMirror) {
    throw new ConfigError([
      `${key}.mirror.enabled = true (the default in production): this platform has no registry to mirror into (its registry is Gitpod's ` +
        "in-cluster one). Set existing.registry to an external registry, or set gitpod.imageRepository to a registry you fill with " +
        "`npm run mirror -- --stack <stack> --commands`, or set gitpod.mirror.enabled to false to pull from upstream",
    ]);
  }
  return { kind: "platformMirror" };
}

/** The installer config features that decide which optional images the render holds (facts' `when`). */
export interface RenderFeatures {
  database: "inCluster" | "external" | "cloudSQL";
  objectStorage: "inCluster" | "azure" | "external";
  containerRegistryInCluster: boolean;
  fsShiftMethod: "fuse" | "shiftfs";
}

/** Whether an image with condition `when` is in a render with these features. */
export function rendered(when: ReleaseImage["when"], features: RenderFeatures): boolean {
  switch (when) {
    case "always":
    case "extra":
    case "outsideRender":
      return true;
    case "database.inCluster":
      return features.database === "inCluster";
    case "database.notInCluster":
      return features.database !== "inCluster";
    case "database.cloudSQL":
      return features.database === "cloudSQL";
    case "objectStorage.inCluster":
      return features.objectStorage === "inCluster";
    case "objectStorage.azure":
      return features.objectStorage === "azure";
    case "containerRegistry.inCluster":
      return features.containerRegistryInCluster;
    case "workspace.fsShiftMethod=shiftfs":
      return features.fsShiftMethod === "shiftfs";
  }
  return true;
}

/** Gitpod's default workspace image (pkg/components/workspace/constants.go), replaced by `gitpod.workspace.workspaceImage`. */
export const defaultWorkspaceImage = "docker.io/gitpod/workspace-full:latest";

/** One image Gitpod will pull, and from where. */
export interface PulledImage {
  original: string;
  /** Where kubelet or registry-facade pulls it from with this repository. */
  pullFrom: string;
  /** False where the installer hard-codes the location and `repository` does not move it. */
  redirected: boolean;
}

/**
 * Every image a stack with these features will pull when the installer config's `repository` is `repository`: the
 * render's images, the installer and the extras. `workspaceImage` replaces Gitpod's default workspace image as given.
 */
export function imagesGitpodPulls(repository: string, features: RenderFeatures, workspaceImage?: string): PulledImage[] {
  const mirrored = repository !== upstreamRepository;
  return releaseImages()
    .filter((image) => rendered(image.when, features))
    .filter((image) => workspaceImage === undefined || image.ref !== defaultWorkspaceImage)
    .map((image) => ({
      original: image.ref,
      pullFrom: mirrored && image.redirectedByRepository ? mirrorTarget(repository, image.ref) : image.ref,
      redirected: image.redirectedByRepository,
    }))
    .concat(workspaceImage ? [{ original: workspaceImage, pullFrom: workspaceImage, redirected: false }] : [])
    .sort((a, b) => a.pullFrom.localeCompare(b.pullFrom));
}

/** Images the stack uses that `repository` cannot redirect: they are pulled from their hard-coded upstream location. */
export function outsideRepository(features: RenderFeatures): ReleaseImage[] {
  return releaseImages().filter((image) => !image.redirectedByRepository && rendered(image.when, features));
}

/** Where a workload of this program pulls an extra image from: the mirror when there is one (extraImages.ts). */
export function imageFor(repository: string, ref: string): string {
  return repository === upstreamRepository ? ref : mirrorTarget(repository, ref);
}

