import * as pulumi from "@pulumi/pulumi";
import { GitpodConfig } from "../../../../config/gitpod";
import { Platform } from "../../../platform";
import { GitpodPlatformFacts } from "../installerConfig";
import { dockerConfigJson } from "../secrets";
import { mirrorPlan, releaseVersion } from "../../../gitpodImages/images";
import { installerImage } from "../versions";
import type { GitpodImagesArgs } from "./index";
import { defaultToolImage, ImageSource, imagesGitpodPulls, outsideRepository, rendered, RenderFeatures } from "./settings";

/** The render features of a stack, from the same facts its installer config is built from. */
export function renderFeaturesOf(facts: Pick<GitpodPlatformFacts, "database" | "objectStorage" | "registry">, gitpod: Pick<GitpodConfig, "workspace">): RenderFeatures {
  return {
    database: facts.database.kind,
    objectStorage: facts.objectStorage.kind === "inCluster" || facts.objectStorage.kind === "azure" ? facts.objectStorage.kind : "external",
    containerRegistryInCluster: facts.registry.kind !== "external",
    fsShiftMethod: gitpod.workspace.fsShiftMethod,
  };
}

/**
 * What the Gitpod component needs from the image source: the installer's `repository`, and the copy and preflight
 * Jobs' inputs. The copy reads with the mirror's push login; the preflight with what registry-facade has, the Gitpod
 * registry's pull secret (external registries), else nothing (in-cluster registries: their login is for that one only).
 */
export function mirrorInputs(
  source: ImageSource,
  platform: Platform,
  gitpod: GitpodConfig,
  facts: pulumi.Output<GitpodPlatformFacts>,
): { repository: pulumi.Output<string>; images: Omit<GitpodImagesArgs, "nodeSelector"> } {
  const target = source.kind === "platformMirror" ? platform.imageMirror : undefined;
  if (source.kind === "platformMirror" && !target) throw new Error("mirrorInputs: platformMirror without a platform imageMirror");
  if (target?.pull === "registryPullSecret" && platform.registry.kind !== "external") {
    throw new Error("Platform.imageMirror pull registryPullSecret needs an external Platform.registry (registry-facade's only login)");
  }
  const repository = target ? target.repository : pulumi.output(source.kind === "platformMirror" ? "" : source.repository);
  const features = facts.apply((resolved) => renderFeaturesOf(resolved, gitpod));

  const pulled = pulumi.all([repository, features]).apply(([repo, stackFeatures]) => {
    const outside = outsideRepository(stackFeatures);
    if (source.kind !== "upstream" && outside.length > 0) {
      pulumi.log.warn(
        `Gitpod 2022.11.3 hard-codes ${outside.map((image) => image.ref).join(", ")}: the installer's repository does not redirect it, so it is ` +
          "pulled from there, not from the mirror (the preflight checks it there). See docs/gitpod.md \"Images the mirror cannot redirect\".",
      );
    }
    // The installer image the Job runs (gitpod.installerImage may name another); other releases: only that is known.
    const installer = installerImage({ ...gitpod, imageRepository: repo });
    const images = gitpod.version === releaseVersion ? imagesGitpodPulls(repo, stackFeatures, gitpod.workspace.workspaceImage) : [];
    return [...images.filter((image) => !/\/installer:[^/]+$/.test(image.original)), { original: installer, pullFrom: installer, redirected: false }];
  });
  const registry = platform.registry;
  const pullCredentials =
    registry.kind === "external" ? pulumi.all([registry.server, registry.username, registry.password]).apply(([s, u, p]) => dockerConfigJson(s, u, p)) : undefined;

  return {
    repository,
    images: {
      copyPlan: target
        ? pulumi.all([repository, features]).apply(([repo, stackFeatures]) =>
            mirrorPlan(repo).map((entry) => ({ ...entry, required: rendered(entry.when, stackFeatures) })),
          )
        : undefined,
      pushCredentials: target
        ? pulumi.secret(pulumi.all([target.push.server, target.push.username, target.push.password]).apply(([s, u, p]) => dockerConfigJson(s, u, p)))
        : undefined,
      pulled,
      pullCredentials: pullCredentials ? pulumi.secret(pullCredentials) : undefined,
      toolImage: gitpod.mirror.toolImage ?? defaultToolImage,
      copyTimeoutMinutes: gitpod.mirror.copyTimeoutMinutes,
    },
  };
}
