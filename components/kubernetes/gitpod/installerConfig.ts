import * as YAML from "yaml";
import { GitpodConfig } from "../../../config/gitpod";
import { PoolRole } from "../../../config";

/**
 * The Gitpod installer config (apiVersion v1, release 2022.11.x) as a pure function of the stack's `gitpod` section
 * and plain facts taken from the Platform. Field names follow install/installer/pkg/config/v1/config.go at the
 * 2022.11.3 tag of gitpod-io/gitpod; the installer parses it strictly, so an unknown field fails its validation.
 * Nothing in here is secret: credentials are referenced by the names of Kubernetes Secrets (see `secretNames`).
 */

/** Namespace Gitpod is installed into (cert-manager's `https-certificates` Certificate lives there too). */
export const gitpodNamespace = "gitpod";
/** TLS secret the wildcard Certificate writes; the installer's `certificate` refers to it. */
export const httpsCertificateSecret = "https-certificates";

/** Names of the Kubernetes Secrets the installer config refers to, with the data keys Gitpod reads from each. */
export const secretNames = {
  /** External MySQL: host, port, username, password, encryptionKeys. */
  database: "database",
  /** CA of the MySQL server certificate: ca.crt. */
  databaseCa: "database-ca",
  /** GCS: service-account.json. */
  storageGcs: "storage-gcp",
  /** S3: accessKeyId, secretAccessKey. */
  storageS3: "storage-s3",
  /** Azure Blob: accountName, accountKey. */
  storageAzure: "storage-azure",
  /** External registry: .dockerconfigjson. */
  registry: "container-registry",
  /** In-cluster registry's S3 backend: s3AccessKey, s3SecretKey. */
  registryS3: "container-registry-s3-backend",
  /** Enterprise license: license, type. */
  license: "gitpod-license",
  /** SSH gateway host key: host.key (OpenSSH private key); the name Gitpod's KOTS manifest used. */
  sshGatewayHostKey: "ssh-gateway-host-key",
} as const;

/** Secret of one auth provider (data key `provider`, the provider as YAML). */
export function authProviderSecretName(id: string): string {
  return `auth-provider-${id.toLowerCase()}`;
}

/** What the installer config needs from the Platform and the Kubernetes layer, as plain data (no Outputs, no secrets). */
export interface GitpodPlatformFacts {
  domain: string;
  /** Annotations for Gitpod's `proxy` Service (external-dns hostnames), from the Kubernetes layer. */
  proxyServiceAnnotations: Record<string, string>;
  metadataRegion: string;
  containerRuntime: { socket: string; runtimeDir: string };
  nodePools: { role: PoolRole; labels: Record<string, string> }[];
  database:
    | { kind: "external"; tls: boolean }
    | { kind: "inCluster" };
  objectStorage:
    | { kind: "gcs"; project: string; region: string }
    | { kind: "s3"; endpoint: string; region: string; bucket: string }
    | { kind: "azure" }
    | { kind: "inCluster" };
  registry:
    | { kind: "external"; url: string }
    | { kind: "inClusterS3"; bucket: string; region: string; endpoint: string }
    | { kind: "inCluster" };
  /** Gitpod's certificate is signed by a private CA (test installs): Gitpod's components must trust its `ca.crt`. */
  privateCa?: boolean;
}

interface ObjectRef {
  kind: "secret";
  name: string;
}

/** The subset of the installer's v1 Config this program sets; names and nesting exactly as config.go has them. */
export interface InstallerConfigV1 {
  apiVersion: "v1";
  kind: "Full";
  domain: string;
  metadata: { region: string; shortname: string };
  repository: string;
  observability: { logLevel: GitpodConfig["logLevel"] };
  certificate: ObjectRef;
  /** A Secret whose `ca.crt` Gitpod's components add to their trusted CAs. */
  customCACert?: ObjectRef;
  database: {
    inCluster: boolean;
    external?: { certificate: ObjectRef };
    ssl?: { caCert: ObjectRef };
  };
  objectStorage: {
    inCluster: boolean;
    cloudStorage?: { project: string; serviceAccount: ObjectRef };
    s3?: { endpoint: string; bucket: string; credentials: ObjectRef };
    azure?: { credentials: ObjectRef };
  };
  containerRegistry: {
    inCluster: boolean;
    external?: { url: string; certificate: ObjectRef };
    s3storage?: { bucket: string; region: string; endpoint: string; certificate: ObjectRef };
    privateBaseImageAllowList: string[];
  };
  workspace: {
    runtime: { fsShiftMethod: "fuse" | "shiftfs"; containerdRuntimeDir: string; containerdSocket: string };
    resources: {
      requests: { cpu: string; memory: string };
      limits?: { memory?: string; storage?: string; "ephemeral-storage"?: string };
    };
    maxLifetime: string;
    timeoutDefault?: string;
    timeoutExtended?: string;
    timeoutAfterClose?: string;
    workspaceImage?: string;
  };
  openVSX: { url: string };
  authProviders: ObjectRef[];
  blockNewUsers: { enabled: boolean; passlist: string[] };
  license?: ObjectRef;
  /** The SSH gateway's host key Secret: with it the proxy exposes port 22 (config.go `sshGatewayHostKey`). */
  sshGatewayHostKey?: ObjectRef;
  disableDefinitelyGp: boolean;
  /** Annotations/labels the installer adds to the objects it renders (matched by apiVersion, kind, name). */
  customization?: { apiVersion: string; kind: string; metadata: { name: string; annotations?: Record<string, string> } }[];
}

const secretRef = (name: string): ObjectRef => ({ kind: "secret", name });

/** Builds the installer config. Pure: same inputs, same config; tested directly for each cloud's shape. */
export function gitpodInstallerConfig(gitpod: GitpodConfig, facts: GitpodPlatformFacts): InstallerConfigV1 {
  const { workspace } = gitpod;
  const limits = workspace.limits
    ? withoutUndefined({
        memory: workspace.limits.memory,
        storage: workspace.limits.storage,
        "ephemeral-storage": workspace.limits.ephemeralStorage,
      })
    : undefined;
  return {
    apiVersion: "v1",
    kind: "Full",
    domain: facts.domain,
    metadata: { region: facts.metadataRegion, shortname: "default" },
    repository: gitpod.imageRepository,
    observability: { logLevel: gitpod.logLevel },
    certificate: secretRef(httpsCertificateSecret),
    // cert-manager's CA issuer writes the CA into the certificate's own Secret as ca.crt.
    ...(facts.privateCa ? { customCACert: secretRef(httpsCertificateSecret) } : {}),
    database: databaseBlock(facts.database),
    objectStorage: objectStorageBlock(facts.objectStorage),
    containerRegistry: registryBlock(facts.registry),
    workspace: withoutUndefined({
      runtime: {
        fsShiftMethod: workspace.fsShiftMethod,
        containerdRuntimeDir: facts.containerRuntime.runtimeDir,
        containerdSocket: facts.containerRuntime.socket,
      },
      resources: withoutUndefined({
        requests: { cpu: workspace.requests.cpu, memory: workspace.requests.memory },
        limits: limits && Object.keys(limits).length > 0 ? limits : undefined,
      }),
      maxLifetime: workspace.maxLifetime,
      timeoutDefault: workspace.timeoutDefault,
      timeoutExtended: workspace.timeoutExtended,
      timeoutAfterClose: workspace.timeoutAfterClose,
      workspaceImage: workspace.workspaceImage,
    }),
    openVSX: { url: gitpod.openVsxUrl },
    authProviders: gitpod.authProviders.map((provider) => secretRef(authProviderSecretName(provider.id))),
    blockNewUsers: { enabled: gitpod.blockNewUsers.enabled, passlist: [...gitpod.blockNewUsers.passlist] },
    ...(gitpod.license ? { license: secretRef(secretNames.license) } : {}),
    ...(gitpod.sshGateway ? { sshGatewayHostKey: secretRef(secretNames.sshGatewayHostKey) } : {}),
    disableDefinitelyGp: true,
    ...(Object.keys(facts.proxyServiceAnnotations).length > 0
      ? { customization: [{ apiVersion: "v1", kind: "Service", metadata: { name: "proxy", annotations: { ...facts.proxyServiceAnnotations } } }] }
      : {}),
  };
}

function databaseBlock(database: GitpodPlatformFacts["database"]): InstallerConfigV1["database"] {
  switch (database.kind) {
    case "external":
      return {
        inCluster: false,
        external: { certificate: secretRef(secretNames.database) },
        ...(database.tls ? { ssl: { caCert: secretRef(secretNames.databaseCa) } } : {}),
      };
    case "inCluster":
      return { inCluster: true };
  }
}

function objectStorageBlock(storage: GitpodPlatformFacts["objectStorage"]): InstallerConfigV1["objectStorage"] {
  switch (storage.kind) {
    case "gcs":
      return { inCluster: false, cloudStorage: { project: storage.project, serviceAccount: secretRef(secretNames.storageGcs) } };
    case "s3":
      return { inCluster: false, s3: { endpoint: storage.endpoint, bucket: storage.bucket, credentials: secretRef(secretNames.storageS3) } };
    case "azure":
      return { inCluster: false, azure: { credentials: secretRef(secretNames.storageAzure) } };
    case "inCluster":
      return { inCluster: true };
  }
}

function registryBlock(registry: GitpodPlatformFacts["registry"]): InstallerConfigV1["containerRegistry"] {
  switch (registry.kind) {
    case "external":
      return { inCluster: false, external: { url: registry.url, certificate: secretRef(secretNames.registry) }, privateBaseImageAllowList: [] };
    case "inClusterS3":
      return {
        inCluster: true,
        s3storage: { bucket: registry.bucket, region: registry.region, endpoint: registry.endpoint, certificate: secretRef(secretNames.registryS3) },
        privateBaseImageAllowList: [],
      };
    case "inCluster":
      return { inCluster: true, privateBaseImageAllowList: [] };
  }
}

/** The config as the installer reads it (`--config gitpod.config.yaml`), keys in the order above. */
export function installerConfigYaml(config: InstallerConfigV1): string {
  return YAML.stringify(config, { sortMapEntries: false, lineWidth: 0 });
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
