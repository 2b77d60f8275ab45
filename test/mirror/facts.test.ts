/**
 * The image facts against the installer's own render goldens (facts/gitpod/images-2022.11.3.json, extracted from
 * gitpod-io/gitpod 2022.11.3): every image a render holds is in the release list, and each image's render condition
 * predicts exactly which images each full render holds. A wrong condition (say MinIO's Azure gateway tag under
 * in-cluster storage) or a missing image fails here.
 */
import facts from "../../facts/gitpod/images-2022.11.3.json";
import { installerImageTags } from "../../components/kubernetes/gitpod/versions";
import { releaseImages, repositoryOf, upstreamRepository } from "../../components/gitpodImages/images";
import { rendered, RenderFeatures } from "../../components/kubernetes/gitpod/mirror/settings";

const release = releaseImages().filter((image) => image.origin !== "extra");
const goldens = Object.entries(facts.renderGoldens);

/** The release image a golden reference stands for: goldens tag Gitpod's versioned images `:test` (versions.yaml). */
function releaseImageOf(ref: string) {
  if (!ref.endsWith(":test")) return release.find((image) => image.ref === ref);
  const repository = repositoryOf(ref);
  const candidates = release.filter((image) => repositoryOf(image.ref) === repository && !image.movingTag && image.ref !== "eu.gcr.io/gitpod-core-dev/build/ide/code:commit-a65f065d070fcf91a9491e806d9fff26d962e873");
  return candidates.length === 1 ? candidates[0] : undefined;
}

describe("the release's image list", () => {
  it("holds the 62 images of the release manifest and the installer, each once", () => {
    expect(release).toHaveLength(63);
    expect(new Set(release.map((image) => image.ref)).size).toBe(63);
    expect(release.filter((image) => image.origin === "gitpod").length).toBe(50);
    expect(release.filter((image) => image.origin === "thirdParty").length).toBe(13);
    for (const image of release.filter((i) => i.origin === "gitpod")) expect(image.ref.startsWith(`${upstreamRepository}/`)).toBe(true);
  });

  it("names the installer image the program runs for 2022.11.3", () => {
    expect(release.map((image) => image.ref)).toContain(`${upstreamRepository}/installer:${installerImageTags["2022.11.3"].tag}`);
  });

  it("records where it comes from", () => {
    expect(facts.source).toMatchObject({ repository: "https://github.com/gitpod-io/gitpod", tag: "2022.11.3", commit: "9ae8bfde2182c87b9a652f432c8061dce6994678" });
    expect(facts.source.files["install/kots/manifests/kots-app.yaml"].blob).toMatch(/^[0-9a-f]{40}$/);
  });

  it("marks Bitnami's versioned images as moved to bitnamilegacy (new location unverified) and pins every moving tag", () => {
    const bitnami = release.filter((image) => image.ref.startsWith("docker.io/bitnami/"));
    expect(bitnami).toHaveLength(5);
    for (const image of bitnami) expect(image.moved).toMatchObject({ sources: [image.ref.replace("docker.io/bitnami/", "docker.io/bitnamilegacy/").replace(/:[^:]+$/, "")], verified: false });
    const moving = release.filter((image) => /:(latest|nightly)$/.test(image.ref));
    expect(moving.length).toBe(11);
    for (const image of moving) expect(image.movingTag).toBeDefined();
    expect(moving.filter((image) => image.movingTag!.policy === "copyOnce").map((image) => image.ref)).toEqual(["docker.io/gitpod/workspace-full:latest"]);
  });
});

describe.each(goldens)("render golden %s", (_name, golden) => {
  it("holds no image outside the release list", () => {
    for (const ref of golden.images) {
      if (/:[^/]+$/.test(ref)) expect([ref, releaseImageOf(ref)?.ref]).toEqual([ref, expect.any(String)]);
      // Untagged strings are repository names in ConfigMaps (e.g. registry-facade's static layers).
      else expect([ref, ref === upstreamRepository || release.some((image) => repositoryOf(image.ref) === ref)]).toEqual([ref, true]);
    }
  });

  if (golden.features.kind === "Full") {
    it("holds exactly the images the conditions predict for its config", () => {
      const features = golden.features as RenderFeatures & { kind: string };
      const expected = release.filter((image) => image.when !== "outsideRender" && rendered(image.when, features)).map((image) => image.ref).sort();
      const found = [...new Set(golden.images.filter((ref) => /:[^/]+$/.test(ref)).map((ref) => releaseImageOf(ref)!.ref))].sort();
      expect(found).toEqual(expected);
    });
  }
});
