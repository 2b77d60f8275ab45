/**
 * What an existing cluster's stack config means for the platform contract, as pure functions of plain data: the
 * cert-manager DNS-01 solver block and the data of its credentials Secret, external-dns's provider settings and
 * config files, Velero's S3-compatible location, and the node-label check. No cloud SDK, no Outputs: the component
 * (index.ts) feeds the secrets in and the tests call these directly.
 */
import { ExistingConfig, endpointHost } from "../../config/existing";
import { PoolRole, poolRoles } from "../../config";
import { acmeDns01CredentialsSecret, gitpodNodeLabels } from "../platform";

/** Where the Kubernetes layer mounts ExternalDnsTarget.configFiles in the external-dns pod. */
export const externalDnsConfigDir = "/etc/kubernetes";

/** The data keys of the DNS-01 credentials Secret, per solver. */
export const dns01CredentialKeys = {
  cloudflare: { apiToken: "api-token" },
  route53: { accessKeyId: "access-key-id", secretAccessKey: "secret-access-key" },
  cloudDNS: { serviceAccountKey: "key.json" },
} as const;

/** The secret values a solver needs, as the component reads them. */
export interface Dns01Secrets {
  apiToken?: string;
  secretAccessKey?: string;
  serviceAccountKey?: string;
  credentials?: Record<string, string>;
}

/**
 * The `dns01` block of the Let's Encrypt issuers' solver and the data of the Secret it refers to (in cert-manager's
 * namespace, where cert-manager looks up a ClusterIssuer's secrets). selfSigned has neither.
 */
export function dns01Solver(
  solver: ExistingConfig["dns01"],
  secrets: Dns01Secrets,
): { dns01: Record<string, unknown>; credentials?: Record<string, string> } {
  const ref = (key: string) => ({ name: acmeDns01CredentialsSecret, key });
  switch (solver.solver) {
    case "cloudflare":
      return {
        dns01: { cloudflare: { apiTokenSecretRef: ref(dns01CredentialKeys.cloudflare.apiToken) } },
        credentials: { [dns01CredentialKeys.cloudflare.apiToken]: required(secrets.apiToken, "existing.dns01.apiToken") },
      };
    case "route53":
      return {
        dns01: {
          route53: {
            region: solver.region,
            ...(solver.hostedZoneId ? { hostedZoneID: solver.hostedZoneId } : {}),
            accessKeyIDSecretRef: ref(dns01CredentialKeys.route53.accessKeyId),
            secretAccessKeySecretRef: ref(dns01CredentialKeys.route53.secretAccessKey),
          },
        },
        credentials: {
          [dns01CredentialKeys.route53.accessKeyId]: solver.accessKeyId,
          [dns01CredentialKeys.route53.secretAccessKey]: required(secrets.secretAccessKey, "existing.dns01.secretAccessKey"),
        },
      };
    case "cloudDNS":
      return {
        dns01: { cloudDNS: { project: solver.project, serviceAccountSecretRef: ref(dns01CredentialKeys.cloudDNS.serviceAccountKey) } },
        credentials: { [dns01CredentialKeys.cloudDNS.serviceAccountKey]: required(secrets.serviceAccountKey, "existing.dns01.serviceAccountKey") },
      };
    case "webhook":
      return {
        dns01: { webhook: { groupName: solver.groupName, solverName: solver.solverName, config: solver.config } },
        credentials: solver.credentialKeys.length > 0 ? { ...(secrets.credentials ?? {}) } : undefined,
      };
    case "selfSigned":
      return { dns01: {} };
  }
}

/** The secret values an external-dns provider needs. */
export interface ExternalDnsSecrets {
  apiToken?: string;
  secretAccessKey?: string;
  serviceAccountKey?: string;
}

/** external-dns settings for the contract: provider, flags, environment and the files holding its credentials. */
export function externalDnsSettings(
  settings: NonNullable<ExistingConfig["externalDns"]>,
  secrets: ExternalDnsSecrets,
): { provider: string; extraArgs: string[]; env: Record<string, string>; configFiles: Record<string, string> } {
  switch (settings.provider) {
    case "cloudflare":
      return {
        provider: "cloudflare",
        extraArgs: settings.proxied ? ["--cloudflare-proxied"] : [],
        // external-dns reads the token from the file when the variable starts with file:.
        env: { CF_API_TOKEN: `file:${externalDnsConfigDir}/cloudflare-api-token` },
        configFiles: { "cloudflare-api-token": required(secrets.apiToken, "existing.externalDns.apiToken") },
      };
    case "aws":
      return {
        provider: "aws",
        extraArgs: ["--aws-zone-type=public", ...(settings.hostedZoneId ? [`--zone-id-filter=${settings.hostedZoneId}`] : [])],
        env: { AWS_DEFAULT_REGION: settings.region, AWS_SHARED_CREDENTIALS_FILE: `${externalDnsConfigDir}/aws-credentials` },
        configFiles: {
          "aws-credentials": awsCredentialsFile(settings.accessKeyId, required(secrets.secretAccessKey, "existing.externalDns.secretAccessKey")),
        },
      };
    case "google":
      return {
        provider: "google",
        extraArgs: [`--google-project=${settings.project}`, "--google-zone-visibility=public"],
        env: { GOOGLE_APPLICATION_CREDENTIALS: `${externalDnsConfigDir}/google-credentials.json` },
        configFiles: { "google-credentials.json": required(secrets.serviceAccountKey, "existing.externalDns.serviceAccountKey") },
      };
  }
}

/** An AWS shared credentials file with one default profile (what Velero's aws plugin and external-dns read). */
export function awsCredentialsFile(accessKeyId: string, secretAccessKey: string): string {
  return `[default]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secretAccessKey}\n`;
}

/**
 * Velero's BackupStorageLocation config for an S3-compatible store (velero-plugin-for-aws): the endpoint as s3Url
 * and path-style addressing, which MinIO, Ceph and most S3-compatible stores need (bucket names in the host would
 * need wildcard DNS and certificates on the store).
 */
export function s3BackupConfig(backup: ExistingConfig["backup"]): Record<string, string> {
  return { region: backup.region, s3Url: backup.endpoint.replace(/\/$/, ""), s3ForcePathStyle: "true" };
}

/** Gitpod's S3 endpoint (host[:port], the installer adds https). */
export const gitpodS3Endpoint = endpointHost;

/** The node names serving each role, as the contract's pool names (comma-separated). */
export function nodesByRole(nodes: ExistingConfig["nodes"]): Record<PoolRole, string[]> {
  return Object.fromEntries(poolRoles.map((role) => [role, nodes.filter((n) => n.roles.includes(role)).map((n) => n.name)])) as Record<
    PoolRole,
    string[]
  >;
}

/** The Gitpod labels a node must carry for its roles. */
export function requiredNodeLabels(roles: readonly PoolRole[]): Record<string, string> {
  return Object.assign({}, ...roles.map((role) => gitpodNodeLabels[role])) as Record<string, string>;
}

/** The k3s flags that give a node the labels of its roles (k3s applies --node-label when the node registers). */
export function k3sNodeLabelFlags(roles: readonly PoolRole[]): string {
  return Object.entries(requiredNodeLabels(roles))
    .map(([key, value]) => `--node-label ${key}=${value}`)
    .join(" ");
}

/**
 * What is wrong with the nodes' labels, one line per node: a missing node or labels it lacks, with the command that
 * fixes it now and the k3s flags that keep it after the node re-registers. Empty when every node is labelled.
 */
export function nodeLabelProblems(
  nodes: ExistingConfig["nodes"],
  actual: Record<string, Record<string, string> | undefined>,
  distribution: ExistingConfig["distribution"],
): string[] {
  const problems: string[] = [];
  for (const node of nodes) {
    const labels = actual[node.name];
    const required = requiredNodeLabels(node.roles);
    if (labels === undefined) {
      problems.push(`node ${node.name} (existing.nodes) is not in the cluster; list the names \`kubectl get nodes\` shows`);
      continue;
    }
    const missing = Object.entries(required).filter(([key, value]) => labels[key] !== value);
    if (missing.length === 0) continue;
    const pairs = missing.map(([key, value]) => `${key}=${value}`);
    const k3s = distribution === "k3s" ? `; on k3s also add to the node's k3s flags so they survive re-registration: ${k3sNodeLabelFlags(node.roles)}` : "";
    problems.push(`node ${node.name} lacks the Gitpod labels of its roles (${node.roles.join(", ")}): ${pairs.join(", ")}. Run: kubectl label node ${node.name} ${pairs.join(" ")}${k3s}`);
  }
  return problems;
}

/**
 * Whether the containerd paths fit the nodes: a k3s node (kubelet version `v1.33.5+k3s1`) keeps containerd under
 * /run/k3s, any other under /run/containerd, and ws-daemon finds the workspaces' containers only at the configured
 * paths. An explicit `existing.containerRuntime` is the operator's statement and is not second-guessed. Nodes whose
 * kubelet version is unknown (not read yet) are skipped.
 */
export function distributionProblems(
  existing: Pick<ExistingConfig, "distribution" | "containerRuntime">,
  kubeletVersions: Record<string, string | undefined>,
): string[] {
  if (existing.containerRuntime) return [];
  const problems: string[] = [];
  for (const [node, version] of Object.entries(kubeletVersions)) {
    if (!version) continue;
    const k3s = /\+k3s\d*$/.test(version);
    if (existing.distribution === "generic" && k3s) {
      problems.push(
        `node ${node} runs k3s (kubelet ${version}) but existing.distribution is generic: ws-daemon would look for containerd under /run/containerd instead of /run/k3s/containerd; set existing.distribution: k3s`,
      );
    } else if (existing.distribution === "k3s" && !k3s) {
      problems.push(
        `node ${node} is not a k3s node (kubelet ${version}) but existing.distribution is k3s: ws-daemon would look for containerd under /run/k3s/containerd; set existing.distribution: generic (or existing.containerRuntime to the node's paths)`,
      );
    }
  }
  return problems;
}

/** A check of the cluster's nodes failed (labels, containerd paths). Thrown before anything is installed on the cluster. */
export class ExistingClusterError extends Error {
  constructor(readonly problems: string[]) {
    super(`The existing cluster is not ready for Gitpod (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ExistingClusterError";
  }
}

function required(value: string | undefined, key: string): string {
  if (!value) throw new ExistingClusterError([`gitpod-platform:${key} is missing or empty (set it with pulumi config set --secret --path ${key} <value>)`]);
  return value;
}
