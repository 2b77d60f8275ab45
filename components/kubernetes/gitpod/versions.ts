import { GitpodConfig } from "../../../config/gitpod";

/**
 * Pins of the Gitpod install. The release (`gitpod.version`, default 2022.11.3) selects the installer image tag;
 * the installer embeds the versions manifest that pins every Gitpod image of that release, so one tag pins all.
 * Source: gitpod-io/gitpod tag 2022.11.3, install/kots/manifests/gitpod-installer-job.yaml
 * (image eu.gcr.io/gitpod-core-dev/build/installer:release-2022.11.3).
 */
export const installerImageTagPrefix = "release-";

/**
 * The installer image: `<imageRepository>/installer:release-<version>`, the same path `gitpod-installer mirror list`
 * maps Gitpod's own images to, so a mirror of the release holds the installer next to the other images.
 */
export function installerImage(gitpod: Pick<GitpodConfig, "imageRepository" | "version" | "installerImage">): string {
  return gitpod.installerImage ?? `${gitpod.imageRepository}/installer:${installerImageTagPrefix}${gitpod.version}`;
}
