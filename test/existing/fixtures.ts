/** Stack configs of `cloud: existing` for the tests: a k3s test install and a production cluster with external services. */

export const kubeconfig = "apiVersion: v1\nkind: Config\nclusters: [{name: k3s, cluster: {server: 'https://203.0.113.10:6443'}}]\n";

/** A single k3s node with Gitpod's in-cluster dependencies and a self-signed CA: a test install. */
export function k3sTestInstall(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    cloud: "existing",
    environment: "development",
    domain: "gitpod.example.com",
    certificates: { acmeEmail: "ops@example.com" },
    existing: {
      kubeconfig,
      distribution: "k3s",
      nodes: [{ name: "gitpod-k3s" }],
      database: { kind: "inCluster" },
      objectStorage: { kind: "inCluster" },
      registry: { kind: "inCluster" },
      dns01: { solver: "selfSigned" },
      backup: backupLocation(),
      ...overrides,
    },
  };
}

export function backupLocation(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    endpoint: "https://backup.example.net:9000",
    region: "us-east-1",
    bucket: "gitpod-backups",
    accessKeyId: "velero",
    secretAccessKey: "backup-secret-key",
    ...overrides,
  };
}

/** Production on a generic cluster: external MySQL, MinIO, Harbor, Route 53 with keys, external-dns on Cloudflare. */
export function productionCluster(overrides: Record<string, unknown> = {}, top: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    cloud: "existing",
    environment: "production",
    domain: "gitpod.example.com",
    certificates: { acmeEmail: "ops@example.com" },
    existing: {
      kubeconfig,
      distribution: "generic",
      nodes: [
        { name: "meta-1", roles: ["services"] },
        { name: "ws-1", roles: ["regularWorkspaces", "headlessWorkspaces"] },
        { name: "ws-2", roles: ["regularWorkspaces"] },
      ],
      database: { kind: "external", host: "mysql.example.com", password: "db-password", caCertificate: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n" },
      objectStorage: {
        kind: "s3",
        endpoint: "https://minio.example.com:9000",
        region: "us-east-1",
        bucket: "gitpod-objects",
        accessKeyId: "gitpod",
        secretAccessKey: "storage-secret-key",
      },
      registry: { kind: "external", url: "harbor.example.com/gitpod", username: "robot$gitpod", password: "registry-password" },
      dns01: { solver: "route53", region: "us-east-1", hostedZoneId: "Z0123456789ABC", accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "dns-secret-key" },
      externalDns: { provider: "cloudflare", apiToken: "cloudflare-token" },
      backup: backupLocation(),
      ...overrides,
    },
    ...top,
  };
}

/** Every secret value the fixtures above hold: none may appear in the validated config or a plan. */
export const secretValues = [
  kubeconfig,
  "backup-secret-key",
  "db-password",
  "storage-secret-key",
  "registry-password",
  "dns-secret-key",
  "cloudflare-token",
];
