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

export const extraImages: ExtraImage[] = [];
