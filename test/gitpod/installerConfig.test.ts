import Ajv from "ajv";
import addFormats from "ajv-formats";
import * as YAML from "yaml";
import { gitpodInstallerConfig, GitpodPlatformFacts, installerConfigYaml, InstallerConfigV1 } from "../../components/kubernetes/gitpod/installerConfig";
import { gitpodNodeLabels, ubuntuContainerd } from "../../components/platform";
import { GitpodConfig } from "../../config/gitpod";
import { stackConfigWith } from "./fixtures";
import { installerConfigV1Schema } from "./installerSchema";

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validate = ajv.compile(installerConfigV1Schema);

function expectValidV1(config: InstallerConfigV1): void {
  // Round-trip through YAML: what the installer reads is the YAML, not the object.
  const parsed = YAML.parse(installerConfigYaml(config));
  const ok = validate(parsed);
  expect(validate.errors ?? []).toEqual([]);
  expect(ok).toBe(true);
}

const defaults: GitpodConfig = stackConfigWith(undefined).gitpod;

const base = {
  domain: "gitpod.example.com",
  proxyServiceAnnotations: {},
  containerRuntime: ubuntuContainerd,
  nodePools: [
    { role: "services" as const, labels: gitpodNodeLabels.services },
    { role: "regularWorkspaces" as const, labels: gitpodNodeLabels.regularWorkspaces },
    { role: "headlessWorkspaces" as const, labels: gitpodNodeLabels.headlessWorkspaces },
  ],
};

const clouds: Record<string, GitpodPlatformFacts> = {
  gcp: {
    ...base,
    metadataRegion: "europe-west1",
    database: { kind: "external", tls: true },
    objectStorage: { kind: "gcs", project: "proj", region: "europe-west1" },
    registry: { kind: "external", url: "europe-west1-docker.pkg.dev/proj/gitpod" },
  },
  aws: {
    ...base,
    metadataRegion: "eu-west-1",
    database: { kind: "external", tls: true },
    objectStorage: { kind: "s3", endpoint: "s3.eu-west-1.amazonaws.com", region: "eu-west-1", bucket: "gitpod-storage" },
    registry: { kind: "inClusterS3", bucket: "gitpod-registry", region: "eu-west-1", endpoint: "s3.eu-west-1.amazonaws.com" },
  },
  azure: {
    ...base,
    metadataRegion: "westeurope",
    database: { kind: "external", tls: true },
    objectStorage: { kind: "azure" },
    registry: { kind: "external", url: "gitpodtest.azurecr.io/gitpod" },
  },
  inCluster: {
    ...base,
    metadataRegion: "local",
    database: { kind: "inCluster" },
    objectStorage: { kind: "inCluster" },
    registry: { kind: "inCluster" },
  },
};

describe("installer config v1 (2022.11.x) from stack config and platform facts", () => {
  it.each(Object.keys(clouds))("%s: is a valid, strictly parsed v1 config", (cloud) => {
    expectValidV1(gitpodInstallerConfig(defaults, clouds[cloud]));
  });

  it("the common fields: kind Full, domain, certificate https-certificates, metadata region, containerd paths, defaults", () => {
    const config = gitpodInstallerConfig(defaults, clouds.gcp);
    expect(config.apiVersion).toBe("v1");
    expect(config.kind).toBe("Full");
    expect(config.domain).toBe("gitpod.example.com");
    expect(config.certificate).toEqual({ kind: "secret", name: "https-certificates" });
    expect(config.metadata).toEqual({ region: "europe-west1", shortname: "default" });
    expect(config.repository).toBe("eu.gcr.io/gitpod-core-dev/build");
    expect(config.workspace.runtime).toEqual({
      fsShiftMethod: "fuse",
      containerdRuntimeDir: "/run/containerd/io.containerd.runtime.v2.task/k8s.io",
      containerdSocket: "/run/containerd/containerd.sock",
    });
    expect(config.workspace.resources).toEqual({ requests: { cpu: "1000m", memory: "2Gi" } });
    expect(config.workspace.maxLifetime).toBe("36h");
    expect(config.openVSX).toEqual({ url: "https://open-vsx.org" });
    expect(config.observability).toEqual({ logLevel: "info" });
    expect(config.authProviders).toEqual([]);
    expect(config.blockNewUsers).toEqual({ enabled: false, passlist: [] });
    expect(config.license).toBeUndefined();
    expect(config.customization).toBeUndefined();
  });

  it("gcp: Cloud SQL as an external database over TLS (no proxy), GCS, external registry", () => {
    const config = gitpodInstallerConfig(defaults, clouds.gcp);
    expect(config.database).toEqual({
      inCluster: false,
      external: { certificate: { kind: "secret", name: "database" } },
      ssl: { caCert: { kind: "secret", name: "database-ca" } },
    });
    expect(config.objectStorage).toEqual({ inCluster: false, cloudStorage: { project: "proj", serviceAccount: { kind: "secret", name: "storage-gcp" } } });
    expect(config.containerRegistry).toEqual({
      inCluster: false,
      external: { url: "europe-west1-docker.pkg.dev/proj/gitpod", certificate: { kind: "secret", name: "container-registry" } },
      privateBaseImageAllowList: [],
    });
  });

  it("aws: external MySQL with its CA, S3 bucket, in-cluster registry on S3", () => {
    const config = gitpodInstallerConfig(defaults, clouds.aws);
    expect(config.database).toEqual({
      inCluster: false,
      external: { certificate: { kind: "secret", name: "database" } },
      ssl: { caCert: { kind: "secret", name: "database-ca" } },
    });
    expect(config.objectStorage).toEqual({
      inCluster: false,
      s3: { endpoint: "s3.eu-west-1.amazonaws.com", bucket: "gitpod-storage", credentials: { kind: "secret", name: "storage-s3" } },
    });
    expect(config.containerRegistry).toEqual({
      inCluster: true,
      s3storage: {
        bucket: "gitpod-registry",
        region: "eu-west-1",
        endpoint: "s3.eu-west-1.amazonaws.com",
        certificate: { kind: "secret", name: "container-registry-s3-backend" },
      },
      privateBaseImageAllowList: [],
    });
    expect(config.metadata.region).toBe("eu-west-1");
  });

  it("azure: external MySQL with its CA, Azure Blob, external registry (ACR)", () => {
    const config = gitpodInstallerConfig(defaults, clouds.azure);
    expect(config.database.external).toEqual({ certificate: { kind: "secret", name: "database" } });
    expect(config.database.ssl).toEqual({ caCert: { kind: "secret", name: "database-ca" } });
    expect(config.objectStorage).toEqual({ inCluster: false, azure: { credentials: { kind: "secret", name: "storage-azure" } } });
    expect(config.containerRegistry.external).toEqual({ url: "gitpodtest.azurecr.io/gitpod", certificate: { kind: "secret", name: "container-registry" } });
  });

  it("external MySQL without a published CA gets no ssl block", () => {
    const config = gitpodInstallerConfig(defaults, { ...clouds.aws, database: { kind: "external", tls: false } });
    expect(config.database).toEqual({ inCluster: false, external: { certificate: { kind: "secret", name: "database" } } });
  });

  it("in-cluster everything: inCluster true, no credentials referenced", () => {
    const config = gitpodInstallerConfig(defaults, clouds.inCluster);
    expect(config.database).toEqual({ inCluster: true });
    expect(config.objectStorage).toEqual({ inCluster: true });
    expect(config.containerRegistry).toEqual({ inCluster: true, privateBaseImageAllowList: [] });
  });

  it("operator settings: mirror, auth providers by secret, blockNewUsers, license, workspace", () => {
    const gitpod = stackConfigWith({
      version: "2022.11.2",
      imageRepository: "europe-docker.pkg.dev/proj/gitpod-mirror",
      authProviders: [{ id: "Public-GitHub", host: "github.com", type: "GitHub", clientId: "abc", clientSecret: "s3cr3t" }],
      blockNewUsers: { enabled: true, passlist: ["example.com"] },
      license: { key: "license-body" },
      workspace: { requests: { cpu: "2", memory: "4Gi" }, limits: { memory: "8Gi", ephemeralStorage: "20Gi" }, timeoutDefault: "30m", workspaceImage: "gitpod/workspace-base:latest" },
      logLevel: "debug",
      openVsxUrl: "https://open-vsx.example.com",
    }).gitpod;
    const config = gitpodInstallerConfig(gitpod, clouds.gcp);
    expectValidV1(config);
    expect(config.repository).toBe("europe-docker.pkg.dev/proj/gitpod-mirror");
    expect(config.authProviders).toEqual([{ kind: "secret", name: "auth-provider-public-github" }]);
    expect(config.blockNewUsers).toEqual({ enabled: true, passlist: ["example.com"] });
    expect(config.license).toEqual({ kind: "secret", name: "gitpod-license" });
    expect(config.workspace.resources).toEqual({ requests: { cpu: "2", memory: "4Gi" }, limits: { memory: "8Gi", "ephemeral-storage": "20Gi" } });
    expect(config.workspace.timeoutDefault).toBe("30m");
    expect(config.workspace.workspaceImage).toBe("gitpod/workspace-base:latest");
    expect(config.observability.logLevel).toBe("debug");
    expect(config.openVSX.url).toBe("https://open-vsx.example.com");
    const yaml = installerConfigYaml(config);
    expect(yaml).not.toContain("s3cr3t");
    expect(yaml).not.toContain("license-body");
  });

  it("proxy Service annotations from the Kubernetes layer become a customization of Service proxy", () => {
    const annotations = { "external-dns.alpha.kubernetes.io/hostname": "gitpod.example.com,*.gitpod.example.com,*.ws.gitpod.example.com" };
    const config = gitpodInstallerConfig(defaults, { ...clouds.gcp, proxyServiceAnnotations: annotations });
    expectValidV1(config);
    expect(config.customization).toEqual([{ apiVersion: "v1", kind: "Service", metadata: { name: "proxy", annotations } }]);
  });

  it("the schema stand-in rejects what the installer's strict parse would (so the checks above can fail)", () => {
    const config = gitpodInstallerConfig(defaults, clouds.gcp) as unknown as Record<string, unknown>;
    expect(validate({ ...config, containerregistry: {} })).toBe(false);
    expect(validate({ ...config, database: { inCluster: false, cloudSql: { instance: "x" } } })).toBe(false);
    expect(validate({ ...config, certificate: { kind: "Secret", name: "https-certificates" } })).toBe(false);
  });

  it("a private CA (test installs) makes Gitpod trust the certificate's own ca.crt", () => {
    const config = gitpodInstallerConfig(defaults, { ...clouds.inCluster, privateCa: true });
    expectValidV1(config);
    expect(config.customCACert).toEqual({ kind: "secret", name: "https-certificates" });
    expect(gitpodInstallerConfig(defaults, clouds.inCluster).customCACert).toBeUndefined();
  });

  it("is deterministic: the same inputs give the same YAML", () => {
    expect(installerConfigYaml(gitpodInstallerConfig(defaults, clouds.aws))).toBe(installerConfigYaml(gitpodInstallerConfig(defaults, clouds.aws)));
  });
});
