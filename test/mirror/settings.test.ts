/**
 * Where a stack's images come from: production from the platform's mirror, development upstream, an explicit
 * repository as named; a private ECR is refused with the reason (registry-facade cannot log in to it), a production
 * stack without any mirror is refused with what to do. And which images a stack's render pulls, from where.
 */
import { ConfigError } from "../../config";
import { GitpodConfig } from "../../config/gitpod";
import { upstreamRepository } from "../../components/gitpodImages/images";
import { imageFor, imageSourceOf, imagesGitpodPulls, RenderFeatures, wantsPlatformMirror } from "../../components/kubernetes/gitpod/mirror/settings";

const gitpod = (over: { imageRepository?: string; enabled?: boolean; version?: string } = {}): Pick<GitpodConfig, "imageRepository" | "mirror" | "version"> => ({
  version: over.version ?? "2022.11.3",
  imageRepository: over.imageRepository ?? upstreamRepository,
  mirror: { copyTimeoutMinutes: 90, ...(over.enabled === undefined ? {} : { enabled: over.enabled }) },
});
const problems = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe("imageSourceOf", () => {
  it("installs production from the platform's mirror and lets development pull upstream", () => {
    expect(imageSourceOf(gitpod(), "production", true)).toEqual({ kind: "platformMirror" });
    expect(imageSourceOf(gitpod(), "development", true)).toEqual({ kind: "upstream", repository: upstreamRepository });
    expect(imageSourceOf(gitpod({ enabled: true }), "development", true)).toEqual({ kind: "platformMirror" });
    expect(imageSourceOf(gitpod({ enabled: false }), "production", true)).toEqual({ kind: "upstream", repository: upstreamRepository });
    expect(wantsPlatformMirror(gitpod(), "production")).toBe(true);
    expect(wantsPlatformMirror(gitpod({ imageRepository: "harbor.example.com/gitpod" }), "production")).toBe(false);
  });

  it("uses a repository the operator names, as named", () => {
    expect(imageSourceOf(gitpod({ imageRepository: "harbor.example.com/gitpod" }), "production", false)).toEqual({ kind: "userRepository", repository: "harbor.example.com/gitpod" });
  });

  it("refuses a private ECR repository: registry-facade has no ECR token (finding aws M3)", () => {
    const found = problems(() => imageSourceOf(gitpod({ imageRepository: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/gitpod" }), "production", true));
    expect(found).toEqual([expect.stringMatching(/^gitpod-platform:gitpod\.imageRepository = "123456789012\.dkr\.ecr.*registry-facade.*12 hours/)]);
  });

  it("refuses a production stack whose platform has no mirror, saying what to do", () => {
    expect(problems(() => imageSourceOf(gitpod(), "production", false))).toEqual([
      expect.stringMatching(/^gitpod-platform:gitpod\.mirror\.enabled = true.*existing\.registry.*gitpod\.imageRepository.*npm run mirror.*gitpod\.mirror\.enabled to false/),
    ]);
  });
});

describe("another 2022.11.x release", () => {
  it("is not mirrored from 2022.11.3's list: the stack says how to get the right one", () => {
    expect(problems(() => imageSourceOf(gitpod({ version: "2022.11.2" }), "production", true))).toEqual([
      expect.stringMatching(/^gitpod-platform:gitpod\.version = "2022\.11\.2": the mirror's image list is of 2022\.11\.3 .*images-regenerate\.ts/),
    ]);
    expect(imageSourceOf(gitpod({ version: "2022.11.2" }), "development", true).kind).toBe("upstream");
  });
});

describe("imagesGitpodPulls", () => {
  const gcp: RenderFeatures = { database: "cloudSQL", objectStorage: "external", containerRegistryInCluster: false, fsShiftMethod: "fuse" };
  const mirror = "europe-west1-docker.pkg.dev/p/r/mirror";

  it("pulls everything from the mirror except what the source hard-codes", () => {
    const pulled = imagesGitpodPulls(mirror, gcp);
    expect(pulled.filter((image) => !image.pullFrom.startsWith(`${mirror}/`)).map((image) => image.pullFrom)).toEqual(["b.gcr.io/cloudsql-docker/gce-proxy:1.11"]);
    expect(pulled.map((image) => image.pullFrom)).toContain(`${mirror}/installer:release-2022.11.3`);
    expect(pulled.some((image) => /bitnami\/(mysql|minio)|library\/registry|shiftfs/.test(image.pullFrom))).toBe(false);
    expect(pulled.some((image) => image.pullFrom.includes("bitnami/rabbitmq"))).toBe(true);
  });

  it("pulls upstream when the repository is upstream, and replaces the default workspace image with the configured one", () => {
    const pulled = imagesGitpodPulls(upstreamRepository, { ...gcp, database: "inCluster" }, "ghcr.io/acme/workspace:2024");
    expect(pulled.map((image) => image.pullFrom)).toEqual(expect.arrayContaining(["docker.io/bitnami/mysql:5.7.34-debian-10-r55", "ghcr.io/acme/workspace:2024"]));
    expect(pulled.some((image) => image.pullFrom.includes("workspace-full"))).toBe(false);
  });

  it("names an extra image of this program like Gitpod's own", () => {
    expect(imageFor(mirror, "docker.io/library/busybox:1.37")).toBe(`${mirror}/library/busybox:1.37`);
    expect(imageFor(upstreamRepository, "docker.io/library/busybox:1.37")).toBe("docker.io/library/busybox:1.37");
  });
});
