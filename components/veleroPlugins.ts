/**
 * Velero's provider plugin images, pinned in one place. Each cloud puts its plugin into the contract
 * (`Platform.backup.pluginImage`); the Kubernetes layer runs it as an init container of Velero. The plugins are
 * released per Velero minor version: plugin v1.14.x goes with Velero v1.18.x (the Velero chart pinned in
 * components/kubernetes/versions.ts). Upgrading Velero's minor version means moving these to the matching line.
 * This file sits beside the contract so that both layers may import it without crossing the wall between them.
 */

export interface PinnedImage {
  repository: string;
  /** Exact tag, never `latest` or a floating minor. */
  tag: string;
  /** The Velero minor version the tag is released for. */
  velero: string;
  /** Where the plugin, its compatibility table and its permissions are documented upstream. */
  source: string;
}

/** The plugin image of each cloud (velero-io, formerly vmware-tanzu, publishes all three on Docker Hub). */
export const veleroPlugins = {
  /** velero.io/gcp: GCS object store and Compute Engine disk snapshots. */
  gcp: {
    repository: "docker.io/velero/velero-plugin-for-gcp",
    tag: "v1.14.3",
    velero: "1.18",
    source: "https://github.com/vmware-tanzu/velero-plugin-for-gcp/tree/v1.14.3",
  },
  /** velero.io/aws: S3 object store and EBS snapshots. */
  aws: {
    repository: "docker.io/velero/velero-plugin-for-aws",
    tag: "v1.14.3",
    velero: "1.18",
    source: "https://github.com/vmware-tanzu/velero-plugin-for-aws/tree/v1.14.3",
  },
  /** velero.io/azure: Blob Storage object store and managed disk snapshots. */
  azure: {
    repository: "docker.io/velero/velero-plugin-for-microsoft-azure",
    tag: "v1.14.3",
    velero: "1.18",
    source: "https://github.com/vmware-tanzu/velero-plugin-for-microsoft-azure/tree/v1.14.3",
  },
} as const satisfies Record<"gcp" | "aws" | "azure", PinnedImage>;

/** `repository:tag` of a cloud's plugin, as the contract carries it. */
export function veleroPluginImage(cloud: keyof typeof veleroPlugins): string {
  const { repository, tag } = veleroPlugins[cloud];
  return `${repository}:${tag}`;
}
