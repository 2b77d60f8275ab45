import { ConfigError, parseStackConfig, StackConfig } from "../../config";
import { genericContainerd, k3sContainerd } from "../../config/existing";
import { configValues } from "../helpers";
import { backupLocation, k3sTestInstall, productionCluster, secretValues } from "./fixtures";

function parse(config: Record<string, unknown>): Extract<StackConfig, { cloud: "existing" }> {
  const parsed = parseStackConfig(configValues(config));
  if (parsed.cloud !== "existing") throw new Error("expected an existing-cluster config");
  return parsed;
}

function problemsOf(config: Record<string, unknown>): string[] {
  try {
    parseStackConfig(configValues(config));
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error("expected the config to be rejected");
}

describe("a valid existing-cluster config", () => {
  it("keeps the k3s test install's choices and strips every secret", () => {
    const config = parse(k3sTestInstall());
    expect(config.existing).toMatchObject({
      distribution: "k3s",
      database: { kind: "inCluster" },
      objectStorage: { kind: "inCluster" },
      registry: { kind: "inCluster" },
      dns01: { solver: "selfSigned" },
      nodes: [{ name: "gitpod-k3s", roles: ["services", "regularWorkspaces", "headlessWorkspaces"] }],
    });
    expect(config.existing).not.toHaveProperty("kubeconfig");
    expect(config.existing.backup).toEqual({ endpoint: "https://backup.example.net:9000", region: "us-east-1", bucket: "gitpod-backups", accessKeyId: "velero" });
    expect(config.protect).toBe(false);
  });

  it("keeps the production cluster's external services, with defaults, and no secret value anywhere", () => {
    const config = parse(productionCluster());
    expect(config.existing.database).toMatchObject({ kind: "external", host: "mysql.example.com", port: 3306, username: "gitpod" });
    expect(config.existing.registry).toMatchObject({ kind: "external", url: "harbor.example.com/gitpod" });
    expect(config.existing.externalDns).toEqual({ provider: "cloudflare", proxied: false });
    expect(config.existing.dns01).toEqual({ solver: "route53", region: "us-east-1", hostedZoneId: "Z0123456789ABC", accessKeyId: "AKIAIOSFODNN7EXAMPLE" });
    expect(config.protect).toBe(true);
    const text = JSON.stringify(config);
    for (const secret of secretValues) expect(text).not.toContain(secret);
  });

  it("counts each role's listed nodes as its pool (the layer never treats a role with nodes as scaled to zero)", () => {
    const config = parse(productionCluster());
    expect(config.nodePools.services.minNodes).toBe(1);
    expect(config.nodePools.regularWorkspaces.minNodes).toBe(2);
    expect(config.nodePools.headlessWorkspaces.minNodes).toBe(1);
  });

  it("accepts in-cluster data in production only with the explicit acceptance key", () => {
    const config = parse(
      productionCluster({ database: { kind: "inCluster" }, objectStorage: { kind: "inCluster" }, registry: { kind: "inCluster" }, acceptInClusterDataInProduction: true }),
    );
    expect(config.existing.database.kind).toBe("inCluster");
  });

  it("accepts k3s's own containerd paths stated explicitly, and any absolute paths on a generic cluster", () => {
    expect(parse(k3sTestInstall({ containerRuntime: { ...k3sContainerd } })).existing.containerRuntime).toEqual(k3sContainerd);
    const custom = { socket: "/var/run/containerd/containerd.sock", runtimeDir: "/var/run/containerd/io.containerd.runtime.v2.task/k8s.io" };
    expect(parse(productionCluster({ containerRuntime: custom })).existing.containerRuntime).toEqual(custom);
    expect(genericContainerd.socket).toBe("/run/containerd/containerd.sock");
  });

  it("accepts the webhook solver with its config and credentials, keeping only the credentials' keys", () => {
    const config = parse(
      k3sTestInstall({
        dns01: { solver: "webhook", groupName: "acme.hetzner.example", solverName: "hetzner", config: { zoneName: "example.com" }, credentials: { "api-key": "hetzner-key" } },
      }),
    );
    expect(config.existing.dns01).toEqual({ solver: "webhook", groupName: "acme.hetzner.example", solverName: "hetzner", config: { zoneName: "example.com" }, credentialKeys: ["api-key"] });
    expect(JSON.stringify(config)).not.toContain("hetzner-key");
  });
});

describe("an invalid existing-cluster config is rejected with the key, the value and what is allowed", () => {
  const cases: [string, Record<string, unknown>, string[]][] = [
    ["missing kubeconfig", k3sTestInstall({ kubeconfig: undefined }), ["gitpod-platform:existing.kubeconfig", "is required", "pulumi config set --secret --path existing.kubeconfig"]],
    ["empty kubeconfig", k3sTestInstall({ kubeconfig: "" }), ["gitpod-platform:existing.kubeconfig", "must not be empty"]],
    ["missing S3 endpoint", productionCluster({ objectStorage: { kind: "s3", region: "us-east-1", bucket: "gitpod", accessKeyId: "k", secretAccessKey: "s" } }), ["gitpod-platform:existing.objectStorage.endpoint is required"]],
    ["missing backup endpoint", k3sTestInstall({ backup: backupLocation({ endpoint: undefined }) }), ["gitpod-platform:existing.backup.endpoint is required"]],
    ["missing database host", productionCluster({ database: { kind: "external", password: "p" } }), ["gitpod-platform:existing.database.host is required"]],
    ["missing database password", productionCluster({ database: { kind: "external", host: "mysql.example.com" } }), ["gitpod-platform:existing.database.password", "required"]],
    ["missing backup location", k3sTestInstall({ backup: undefined }), ["gitpod-platform:existing.backup is required"]],
    ["endpoint without scheme", productionCluster({ objectStorage: { kind: "s3", endpoint: "minio.example.com:9000", region: "us-east-1", bucket: "gitpod", accessKeyId: "k", secretAccessKey: "s" } }), ['existing.objectStorage.endpoint = "minio.example.com:9000"', "must be an https:// URL"]],
    ["plain-http endpoint", k3sTestInstall({ backup: backupLocation({ endpoint: "http://backup.example.net:9000" }) }), ['existing.backup.endpoint = "http://backup.example.net:9000"', "over TLS only"]],
    ["endpoint with a path", k3sTestInstall({ backup: backupLocation({ endpoint: "https://backup.example.net/bucket" }) }), ["existing.backup.endpoint", "no path"]],
    ["in-cluster database in production", productionCluster({ database: { kind: "inCluster" } }), ['gitpod-platform:existing.database.kind = "inCluster"', "lost with the node", "acceptInClusterDataInProduction"]],
    ["in-cluster storage in production", productionCluster({ objectStorage: { kind: "inCluster" }, registry: { kind: "inCluster" } }), ['gitpod-platform:existing.objectStorage.kind = "inCluster"', "in production"]],
    ["self-signed in production", productionCluster({ dns01: { solver: "selfSigned" } }), ['existing.dns01.solver = "selfSigned"', "test installs only"]],
    ["unknown solver", k3sTestInstall({ dns01: { solver: "digitalocean" } }), ["existing.dns01.solver", "cloudflare, route53, cloudDNS, webhook, selfSigned"]],
    ["k3s with another containerd", k3sTestInstall({ containerRuntime: { ...genericContainerd } }), ["gitpod-platform:existing.containerRuntime", "does not match k3s's containerd", "/run/k3s/containerd/containerd.sock"]],
    ["no distribution", k3sTestInstall({ distribution: undefined }), ["gitpod-platform:existing.distribution", "k3s or generic"]],
    ["a role without nodes", productionCluster({ nodes: [{ name: "meta-1", roles: ["services"] }, { name: "ws-1", roles: ["regularWorkspaces"] }] }), ["gitpod-platform:existing.nodes", "no node serves the headlessWorkspaces role"]],
    ["a bad node name", k3sTestInstall({ nodes: [{ name: "Gitpod_K3s" }] }), ["existing.nodes.0.name", "Kubernetes node name"]],
    ["registry in S3 without S3 storage", k3sTestInstall({ registry: { kind: "inClusterS3", bucket: "gitpod-registry" } }), ["existing.registry.kind", "needs existing.objectStorage.kind s3"]],
    ["region other than the bucket's", productionCluster({ region: "eu-west-1" }), ['existing.region = "eu-west-1"', "must equal existing.objectStorage.region (us-east-1)"]],
    ["node pools of an existing cluster", { ...k3sTestInstall(), nodePools: { services: { maxNodes: 3 } } }, ["gitpod-platform:nodePools", "not used with cloud: existing", "existing.nodes"]],
    ["a database size", { ...k3sTestInstall(), database: { machineType: "db-custom-2-7680" } }, ["gitpod-platform:database", "existing.database"]],
    ["a replica region", { ...k3sTestInstall(), backup: { replicaRegion: "europe-west4" } }, ["gitpod-platform:backup.replicaRegion", "existing.backup"]],
    ["volume snapshots", { ...k3sTestInstall(), velero: { volumeBackup: "snapshot" } }, ["gitpod-platform:velero.volumeBackup", "must be fileSystem with cloud: existing"]],
    ["a bad registry url", productionCluster({ registry: { kind: "external", url: "https://harbor.example.com/gitpod", username: "u", password: "p" } }), ["existing.registry.url", "without scheme"]],
    ["an unknown key", k3sTestInstall({ isK3s: true }), ["gitpod-platform:existing.isK3s: unknown key", "distribution"]],
    ["a secret of the wrong type, its value hidden", productionCluster({ database: { kind: "external", host: "mysql.example.com", password: 987654321 } }), ['gitpod-platform:existing.database.password = "[secret]"', "must be set as a secret"]],
    ["a webhook credential of the wrong type, its value hidden", k3sTestInstall({ dns01: { solver: "webhook", groupName: "acme.example.net", solverName: "x", credentials: { key: 987654321 } } }), ['existing.dns01.credentials.key = "[secret]"']],
  ];

  it.each(cases)("%s", (_name, config, expected) => {
    const text = problemsOf(config).join("\n");
    for (const part of expected) expect(text).toContain(part);
    for (const secret of [...secretValues, "987654321"]) expect(text).not.toContain(secret);
  });

  it("accepts each case's base config, so the rejection comes from the changed key", () => {
    expect(() => parse(k3sTestInstall())).not.toThrow();
    expect(() => parse(productionCluster())).not.toThrow();
  });
});
