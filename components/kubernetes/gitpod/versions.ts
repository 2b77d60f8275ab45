import { ConfigError, configNamespace } from "../../../config";
import { GitpodConfig } from "../../../config/gitpod";

/**
 * Pins of the Gitpod install: the installer image tag of each 2022.11.x release. The installer embeds the versions
 * manifest that pins every Gitpod image of its release, so this one tag pins the whole installation. The tags do
 * not follow one pattern (2022.11.2 was published as build 16), so each is taken from the release's own
 * install/kots/manifests/gitpod-installer-job.yaml in gitpod-io/gitpod.
 */
export const installerImageTags: Record<string, { tag: string; source: string }> = {
  "2022.11.3": { tag: "release-2022.11.3", source: "gitpod-io/gitpod tag 2022.11.3, install/kots/manifests/gitpod-installer-job.yaml" },
  "2022.11.2": { tag: "release-2022.11.2.16", source: "gitpod-io/gitpod tag release-2022.11.2, install/kots/manifests/gitpod-installer-job.yaml" },
};

/**
 * The installer image: `<imageRepository>/installer:<tag of the version>`, the path `gitpod-installer mirror list`
 * maps Gitpod's own images to, so a mirror of the release holds the installer next to the other images.
 * `gitpod.installerImage` overrides it; a version without a pinned tag needs that override.
 */
export function installerImage(gitpod: Pick<GitpodConfig, "imageRepository" | "version" | "installerImage">): string {
  if (gitpod.installerImage) return gitpod.installerImage;
  const pin = installerImageTags[gitpod.version];
  if (!pin) {
    throw new ConfigError([
      `${configNamespace}:gitpod.version = ${JSON.stringify(gitpod.version)}: no installer image is pinned for this release ` +
        `(pinned: ${Object.keys(installerImageTags).join(", ")}); set gitpod.installerImage to its installer image`,
    ]);
  }
  return `${gitpod.imageRepository}/installer:${pin.tag}`;
}
