/**
 * Images this program adds to Gitpod's own (for example a small DaemonSet that sets a node sysctl). Every image here
 * is copied into the mirror like Gitpod's, named `<repository>/<path without registry host>`, and checked by the
 * preflight. To add one: append it here (pin it by digest where you can), and in the workload use
 * `imageFor(repository, ref)` (components/kubernetes/gitpod/mirror/settings.ts) so it is pulled from wherever Gitpod's images come from.
 */
export interface ExtraImage {
  /** Full upstream reference with tag or digest, e.g. docker.io/library/busybox:1.37@sha256:<digest>. */
  ref: string;
  /** The workload that runs it. */
  usedBy: string;
  /** Where the pin comes from. */
  source: string;
}

/** Pinned BusyBox from ECR Public (the Docker official image's copy there, without Docker Hub's pull limits). */
export const workspaceNodeImage = "public.ecr.aws/docker/library/busybox:1.37.0";

export const extraImages: ExtraImage[] = [
  {
    ref: workspaceNodeImage,
    usedBy: "DaemonSet gitpod-workspace-node (components/kubernetes/workspaceNodes.ts)",
    source: "Docker official image busybox 1.37.0 on ECR Public; tag pinned, digest not established offline",
  },
];
