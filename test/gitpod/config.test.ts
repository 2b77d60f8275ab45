import { ConfigError, parseStackConfig } from "../../config";
import { installerImage } from "../../components/kubernetes/gitpod/versions";
import { gitpodConfigValues, stackConfigWith } from "./fixtures";

function problemsOf(gitpod: unknown): string {
  try {
    parseStackConfig(gitpodConfigValues(gitpod));
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error("expected the config to be rejected");
}

describe("stack config: gitpod section", () => {
  it("defaults to the last self-hosted release from the upstream registry", () => {
    const { gitpod } = stackConfigWith(undefined);
    expect(gitpod.version).toBe("2022.11.3");
    expect(gitpod.imageRepository).toBe("eu.gcr.io/gitpod-core-dev/build");
    expect(installerImage(gitpod)).toBe("eu.gcr.io/gitpod-core-dev/build/installer:release-2022.11.3");
    expect(gitpod.authProviders).toEqual([]);
    expect(gitpod.blockNewUsers).toEqual({ enabled: false, passlist: [] });
    expect(gitpod.workspace).toMatchObject({ fsShiftMethod: "fuse", requests: { cpu: "1000m", memory: "2Gi" }, maxLifetime: "36h" });
    expect(gitpod.installTimeoutMinutes).toBe(45);
    expect(gitpod.importedDatabaseEncryptionKey).toBe(false);
  });

  it("a mirror moves the installer image with it; an explicit installer image wins", () => {
    const mirrored = stackConfigWith({ imageRepository: "europe-docker.pkg.dev/proj/gitpod-mirror", version: "2022.11.2" }).gitpod;
    expect(installerImage(mirrored)).toBe("europe-docker.pkg.dev/proj/gitpod-mirror/installer:release-2022.11.2.16");
    const pinned = stackConfigWith({ installerImage: "registry.example.com/gitpod/installer@sha256:" + "a".repeat(64) }).gitpod;
    expect(installerImage(pinned)).toBe("registry.example.com/gitpod/installer@sha256:" + "a".repeat(64));
  });

  it("strips every secret value from the validated config", () => {
    const config = stackConfigWith({
      authProviders: [{ id: "gh", host: "github.com", type: "GitHub", clientId: "id", clientSecret: "very-secret-value" }],
      license: { key: "license-secret-value" },
      databaseEncryptionKey: Buffer.alloc(32, 7).toString("base64"),
    });
    const text = JSON.stringify(config);
    expect(text).not.toContain("very-secret-value");
    expect(text).not.toContain("license-secret-value");
    expect(text).not.toContain(Buffer.alloc(32, 7).toString("base64"));
    expect(config.gitpod.authProviders).toEqual([{ id: "gh", host: "github.com", type: "GitHub", clientId: "id" }]);
    expect(config.gitpod.license).toEqual({ type: "gitpod" });
    expect(config.gitpod.importedDatabaseEncryptionKey).toBe(true);
  });

  it("a release without a pinned installer tag needs an explicit installer image, naming the key", () => {
    const unpinned = stackConfigWith({ version: "2022.11.1" }).gitpod;
    expect(() => installerImage(unpinned)).toThrow(/gitpod-platform:gitpod.version = "2022.11.1": no installer image is pinned .*set gitpod.installerImage/);
    expect(installerImage({ ...unpinned, installerImage: "registry.example.com/installer:release-2022.11.1" })).toBe("registry.example.com/installer:release-2022.11.1");
  });

  const bad: [string, unknown, RegExp][] = [
    ["version outside 2022.11.x", { version: "2023.1.0" }, /gitpod\.version = "2023\.1\.0": must be a 2022\.11\.x release/],
    ["image repository with a scheme", { imageRepository: "https://eu.gcr.io/x" }, /gitpod\.imageRepository = "https:\/\/eu\.gcr\.io\/x": must be an image repository/],
    ["image repository with trailing slash", { imageRepository: "eu.gcr.io/x/" }, /gitpod\.imageRepository/],
    ["installer image without tag", { installerImage: "eu.gcr.io/x/installer" }, /gitpod\.installerImage = .*must be a full image reference/],
    [
      "auth provider without client secret",
      { authProviders: [{ id: "gh", host: "github.com", type: "GitHub", clientId: "id" }] },
      /gitpod\.authProviders\.0\.clientSecret is required/,
    ],
    [
      "auth provider of unknown type",
      { authProviders: [{ id: "gh", host: "github.com", type: "Gitea", clientId: "id", clientSecret: "x" }] },
      /gitpod\.authProviders\.0\.type = "Gitea"/,
    ],
    [
      "duplicate auth provider ids",
      {
        authProviders: [
          { id: "gh", host: "github.com", type: "GitHub", clientId: "a", clientSecret: "x" },
          { id: "GH", host: "github.example.com", type: "GitHub", clientId: "b", clientSecret: "y" },
        ],
      },
      /gitpod\.authProviders.*ids must be unique/,
    ],
    ["auth provider host with scheme", { authProviders: [{ id: "gh", host: "https://github.com", type: "GitHub", clientId: "a", clientSecret: "x" }] }, /gitpod\.authProviders\.0\.host/],
    ["blockNewUsers enabled without passlist", { blockNewUsers: { enabled: true } }, /gitpod\.blockNewUsers\.passlist.*at least one domain/],
    ["blockNewUsers passlist entry not a domain", { blockNewUsers: { enabled: true, passlist: ["not a domain"] } }, /gitpod\.blockNewUsers\.passlist\.0/],
    ["license without key", { license: { type: "gitpod" } }, /gitpod\.license\.key is required/],
    ["encryption key of the wrong length", { databaseEncryptionKey: Buffer.alloc(16).toString("base64") }, /gitpod\.databaseEncryptionKey.*32 bytes/],
    ["fsShiftMethod unknown", { workspace: { fsShiftMethod: "overlay" } }, /gitpod\.workspace\.fsShiftMethod = "overlay"/],
    ["workspace request not a quantity", { workspace: { requests: { cpu: "two" } } }, /gitpod\.workspace\.requests\.cpu = "two": must be a Kubernetes quantity/],
    ["maxLifetime not a duration", { workspace: { maxLifetime: "2 days" } }, /gitpod\.workspace\.maxLifetime = "2 days": must be a Go duration/],
    ["log level unknown", { logLevel: "verbose" }, /gitpod\.logLevel = "verbose"/],
    ["open VSX not a URL", { openVsxUrl: "open-vsx" }, /gitpod\.openVsxUrl = "open-vsx": must be a URL/],
    ["install timeout too short", { installTimeoutMinutes: 2 }, /gitpod\.installTimeoutMinutes = 2: must be from 20 to 180/],
    ["unknown key", { repository: "x" }, /gitpod\.repository: unknown key; allowed keys here: version, imageRepository/],
    ["unknown workspace key", { workspace: { cpu: "1" } }, /gitpod\.workspace\.cpu: unknown key/],
  ];
  it.each(bad)("rejects %s, naming the key", (_what, gitpod, message) => {
    expect(problemsOf(gitpod)).toMatch(message);
  });
});
