/**
 * Every image reference in Gitpod's render facts maps to a mirrored target: with the installer's `repository` set to
 * a mirror, each reference the render holds is either a target the mirror copies (named as `installer mirror list`
 * names it) or one the source hard-codes, and the hard-coded ones are exactly those the facts say `repository` cannot
 * redirect. Reads the image facts' render goldens and, when present, the Gitpod render facts of the installer work.
 */
import * as fs from "fs";
import * as path from "path";
import facts from "../../facts/gitpod/images-2022.11.3.json";
import { mirrorPlan, mirrorTarget, releaseImages, repositoryOf, upstreamRepository } from "../../components/gitpodImages/images";
import { outsideRepository } from "../../components/kubernetes/gitpod/mirror/settings";

const mirror = "registry.example.com/gitpod";
const plan = mirrorPlan(mirror);
const targets = new Set(plan.map((entry) => entry.target));
const release = releaseImages();

/** Image references in any text: on the registries Gitpod 2022.11 names. */
function imageReferences(text: string): string[] {
  return [...new Set([...text.matchAll(/\b((?:docker\.io|eu\.gcr\.io|b\.gcr\.io|gcr\.io|quay\.io|ghcr\.io|registry\.k8s\.io)\/[a-z0-9][^\s"',\\]*)/g)].map((m) => m[1]))];
}

/** Where the render with `repository: <mirror>` pulls a reference from: the release image's redirect decides. */
function pulledFrom(ref: string): { ref: string; pullFrom: string; hardCoded: boolean } {
  const tagged = /:[^/]+$/.test(ref);
  const repository = tagged ? repositoryOf(ref) : ref;
  const image = release.find((candidate) => (tagged && !ref.endsWith(":test") ? candidate.ref === ref : repositoryOf(candidate.ref) === repository));
  if (!image && ref === upstreamRepository) return { ref, pullFrom: mirror, hardCoded: false };
  if (!image) throw new Error(`${ref}: not an image of the release list (facts/gitpod/images-2022.11.3.json)`);
  if (!image.redirectedByRepository) return { ref, pullFrom: ref, hardCoded: true };
  // Goldens tag versioned images `:test`; the mirror holds the release's tag of the same repository.
  const target = mirrorTarget(mirror, tagged && !ref.endsWith(":test") ? ref : image.ref);
  return { ref, pullFrom: tagged ? target : repositoryOf(target), hardCoded: false };
}

describe("every image reference of the 2022.11.3 render goldens", () => {
  const all = Object.entries(facts.renderGoldens).flatMap(([name, golden]) => golden.images.map((ref) => ({ name, ...pulledFrom(ref) })));

  it("maps to a target the mirror copies (or a repository it holds)", () => {
    const unmapped = all.filter((r) => !r.hardCoded && !targets.has(r.pullFrom) && ![...targets].some((t) => t.startsWith(`${r.pullFrom}:`) || r.pullFrom === mirror));
    expect(unmapped).toEqual([]);
    expect(all.length).toBeGreaterThan(800);
  });

  it("finds every reference `repository` does not redirect: only the Cloud SQL proxy, only in the Cloud SQL render", () => {
    const hardCoded = all.filter((r) => r.hardCoded);
    expect([...new Set(hardCoded.map((r) => r.ref))]).toEqual(["b.gcr.io/cloudsql-docker/gce-proxy:1.11"]);
    expect([...new Set(hardCoded.map((r) => r.name))]).toEqual(["gcp-setup"]);
    expect(outsideRepository({ database: "cloudSQL", objectStorage: "external", containerRegistryInCluster: false, fsShiftMethod: "fuse" }).map((i) => i.ref)).toEqual([
      "b.gcr.io/cloudsql-docker/gce-proxy:1.11",
    ]);
    expect(outsideRepository({ database: "external", objectStorage: "external", containerRegistryInCluster: false, fsShiftMethod: "fuse" })).toEqual([]);
  });
});

const renderFactsFile = path.join(__dirname, "..", "..", "facts", "gitpod", "render-2022.11.3.json");
(fs.existsSync(renderFactsFile) ? describe : describe.skip)("every image reference of facts/gitpod/render-2022.11.3.json", () => {
  it("maps to a mirrored target or is a known hard-coded reference", () => {
    const refs = imageReferences(fs.readFileSync(renderFactsFile, "utf8"));
    const known = new Set(release.filter((image) => !image.redirectedByRepository).map((image) => image.ref));
    const problems = refs.flatMap((ref) => {
      try {
        const r = pulledFrom(ref);
        return r.hardCoded && !known.has(ref) ? [`${ref}: hard-coded and not listed`] : [];
      } catch (error) {
        return [(error as Error).message];
      }
    });
    expect(problems).toEqual([]);
  });
});

describe("the mirror's targets", () => {
  it("are `installer mirror list`'s names: Gitpod's under the repository, others without their registry host", () => {
    const target = (ref: string) => plan.find((entry) => entry.original === ref)!.target;
    expect(target("eu.gcr.io/gitpod-core-dev/build/ide/code:nightly")).toBe(`${mirror}/ide/code:nightly`);
    expect(target("docker.io/bitnami/rabbitmq:3.11.5-debian-11-r2")).toBe(`${mirror}/bitnami/rabbitmq:3.11.5-debian-11-r2`);
    expect(target("docker.io/gitpod/workspace-full:latest")).toBe(`${mirror}/gitpod/workspace-full:latest`);
    expect(target("quay.io/brancz/kube-rbac-proxy:v0.12.0")).toBe(`${mirror}/brancz/kube-rbac-proxy:v0.12.0`);
    expect(target("b.gcr.io/cloudsql-docker/gce-proxy:1.11")).toBe(`${mirror}/cloudsql-docker/gce-proxy:1.11`);
    expect(target("eu.gcr.io/gitpod-core-dev/build/installer:release-2022.11.3")).toBe(`${mirror}/installer:release-2022.11.3`);
    expect(targets.size).toBe(plan.length);
  });

  it("read Bitnami's images from bitnamilegacy first and Docker Hub's official images from Docker Hub, then its mirrors", () => {
    const sources = (ref: string) => plan.find((entry) => entry.original === ref)!.sources;
    expect(sources("docker.io/bitnami/minio:2022.4.29-debian-10-r0")).toEqual(["docker.io/bitnamilegacy/minio:2022.4.29-debian-10-r0", "docker.io/bitnami/minio:2022.4.29-debian-10-r0"]);
    expect(sources("docker.io/library/redis:6.2")).toEqual(["docker.io/library/redis:6.2", "mirror.gcr.io/library/redis:6.2", "public.ecr.aws/docker/library/redis:6.2"]);
    expect(sources("eu.gcr.io/gitpod-core-dev/build/ide/goland:latest")).toEqual(["eu.gcr.io/gitpod-core-dev/build/ide/goland:commit-adff3328ae5722956535c4164c2f5d0946a9664e"]);
  });
});
