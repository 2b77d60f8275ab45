import releaseFacts from "../../facts/gitpod/images-2022.11.3.json";
import { extraImages } from "./extraImages";

/**
 * Shared by the Kubernetes layer (components/kubernetes/gitpod/mirror) and the clouds that create a mirror's
 * repositories up front (ECR Public, ACR scope maps); pure data and functions, no Pulumi resources.
 *
 * The images Gitpod 2022.11.3 needs, as facts/gitpod/images-2022.11.3.json lists them, and where each goes in a
 * mirror. Target names follow `installer mirror list` (install/installer/cmd/mirror_list.go at 2022.11.3): a Gitpod
 * image `eu.gcr.io/gitpod-core-dev/build/<path>:<tag>` goes to `<repository>/<path>:<tag>`, any other image loses its
 * registry host: `docker.io/bitnami/rabbitmq:<tag>` goes to `<repository>/bitnami/rabbitmq:<tag>`. With the installer
 * config's `repository` set to the mirror, the render then names exactly these targets (common.ThirdPartyContainerRepo),
 * except the images the source hard-codes (`redirectedByRepository: false`).
 */

/** Where Gitpod's own images live upstream (the installer's default `repository`). */
export const upstreamRepository = releaseFacts.upstreamRepository;
/** The Gitpod release the list is of. */
export const releaseVersion = releaseFacts.source.tag;

export type RenderCondition = (typeof releaseFacts.images)[number]["when"];

export interface ReleaseImage {
  ref: string;
  origin: "gitpod" | "thirdParty" | "extra";
  when: RenderCondition | "extra";
  redirectedByRepository: boolean;
  evidence: string;
  moved?: { sources: string[]; since: string; verified: boolean; evidence: string };
  movingTag?: { copyFrom: string; policy: "pinned" | "copyOnce"; why: string };
  digest: string | null;
}

/** One image of the mirror: what Gitpod names, where the copy reads it from (first that answers wins), where it goes. */
export interface MirrorEntry {
  original: string;
  sources: string[];
  target: string;
  /** Digest the target must have, where one is pinned in the facts. */
  digest?: string;
  /** `pinned`: a moving tag filled from the release's own build; `copyOnce`: copied once, never refreshed. */
  policy: "exact" | "pinned" | "copyOnce";
  /** The original location no longer serves it (or is at risk); `movedVerified` says whether the new one was checked. */
  knownMoved: boolean;
  movedVerified: boolean;
  when: ReleaseImage["when"];
  /** The stack's render uses it: a failed copy fails the Job (others are copied too, but only warned about). */
  required?: boolean;
}

/** The release's images plus the extras this program adds to Gitpod (extraImages.ts). */
export function releaseImages(): ReleaseImage[] {
  const release = releaseFacts.images as ReleaseImage[];
  const extras: ReleaseImage[] = extraImages.map((extra) => ({
    ref: extra.ref,
    origin: "extra",
    when: "extra",
    redirectedByRepository: true,
    evidence: `${extra.usedBy} (${extra.source})`,
    digest: digestOf(extra.ref),
  }));
  return [...release, ...extras];
}

/** `installer mirror list`'s target of one image for a mirror repository. */
export function mirrorTarget(repository: string, ref: string): string {
  const repo = repository.replace(/\/+$/, "");
  if (ref.startsWith(`${upstreamRepository}/`)) return `${repo}/${ref.slice(upstreamRepository.length + 1)}`;
  return `${repo}/${withoutRegistry(ref)}`;
}

/** The path of a reference without its registry host (`docker.io/library/redis:6.2` → `library/redis:6.2`). */
export function withoutRegistry(ref: string): string {
  const [first, ...rest] = ref.split("/");
  const isHost = rest.length > 0 && (first.includes(".") || first.includes(":") || first === "localhost");
  return isHost ? rest.join("/") : ref;
}

/** The repository part of a reference (no tag, no digest). */
export function repositoryOf(ref: string): string {
  return ref.replace(/@sha256:[a-f0-9]{64}$/, "").replace(/:[^:/]+$/, "");
}

/** Every image of the mirror for `repository`, sorted by target. */
export function mirrorPlan(repository: string): MirrorEntry[] {
  return releaseImages()
    .map((image): MirrorEntry => {
      const tag = image.ref.slice(repositoryOf(image.ref).length);
      const moved = image.moved?.sources.map((source) => `${source}${tag}`) ?? [];
      const pinned = image.movingTag?.policy === "pinned";
      const sources = pinned ? [image.movingTag!.copyFrom] : [...new Set(image.moved && !isFallbackOnly(image) ? [...moved, image.ref] : [image.ref, ...moved])];
      return {
        original: image.ref,
        sources,
        target: mirrorTarget(repository, image.ref),
        ...(image.digest ? { digest: image.digest } : {}),
        policy: image.movingTag?.policy ?? "exact",
        knownMoved: image.moved !== undefined && !isFallbackOnly(image),
        movedVerified: image.moved?.verified ?? false,
        when: image.when,
      };
    })
    .sort((a, b) => a.target.localeCompare(b.target));
}

/** The repositories (paths under the mirror, no tag) the mirror writes: ECR Public and ACR scope maps need them up front. */
export function mirrorRepositoryPaths(): string[] {
  return [...new Set(mirrorPlan("m").map((entry) => repositoryOf(entry.target).slice(2)))].sort();
}

/** Docker Hub's official images did not move; their other sources are fallbacks tried after the original. */
function isFallbackOnly(image: ReleaseImage): boolean {
  return image.moved !== undefined && image.moved.sources[0] === repositoryOf(image.ref);
}

function digestOf(ref: string): string | null {
  return /@(sha256:[a-f0-9]{64})$/.exec(ref)?.[1] ?? null;
}

/**
 * Whether the stack installs from the platform's mirror: `gitpod.imageRepository` left at upstream, and
 * `gitpod.mirror.enabled` (default: production). Clouds that create the mirror's repositories ask this.
 */
export function wantsPlatformMirror(gitpod: { imageRepository: string; mirror: { enabled?: boolean } }, environment: "production" | "development"): boolean {
  return gitpod.imageRepository === upstreamRepository && (gitpod.mirror.enabled ?? environment === "production");
}
