/**
 * `cloud: existing`: a cluster the operator already runs (a single k3s node, or any cluster reachable with a
 * kubeconfig). Creates no cloud resource and imports no cloud SDK: it turns the stack's `existing` section into the
 * same Platform contract the clouds return, and checks, before anything is installed, that the listed nodes carry
 * the Gitpod labels of their roles.
 */
import * as k8s from "../../providers/sdk/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, configNamespace, PoolRole, poolRoles, StackConfig } from "../../config";
import { containerRuntimeOf, ExistingConfig, ExistingSecretConfig, metadataRegionOf } from "../../config/existing";
import {
  ContainerRegistry,
  DatabaseEndpoint,
  DnsInfo,
  gitpodNodeLabels,
  ImageMirror,
  InClusterTool,
  inClusterTools,
  ObjectStorage,
  Platform,
  WorkloadBinding,
} from "../platform";
import { veleroPluginImage } from "../veleroPlugins";
import {
  awsCredentialsFile,
  distributionProblems,
  dns01Solver,
  ExistingClusterError,
  externalDnsSettings,
  gitpodS3Endpoint,
  nodeLabelProblems,
  nodesByRole,
  s3BackupConfig,
} from "./settings";

export { distributionProblems, ExistingClusterError, k3sNodeLabelFlags, nodeLabelProblems } from "./settings";

export interface ExistingPlatformArgs {
  /** The validated stack config of a `cloud: existing` stack (secrets stripped; they are read again here). */
  config: Extract<StackConfig, { cloud: "existing" }>;
}

/**
 * The Platform of an existing cluster. Its only resources are a Kubernetes provider and reads of the listed nodes
 * (for the label check); everything else in the contract comes from config. The contract's kubeconfig resolves only
 * once the check has passed, so the Kubernetes layer cannot create anything on an unprepared cluster.
 */
export class ExistingPlatform extends pulumi.ComponentResource {
  readonly platform: Platform;

  constructor(name: string, args: ExistingPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    // Checked before anything is registered: a plain-text section stops the program at once.
    const secrets = readExistingSecrets();
    super("gitpod:existing:ExistingPlatform", name, {}, opts);
    const config = args.config;
    const existing = config.existing;
    const kubeconfig = pulumi.secret(secrets.apply((s) => s.kubeconfig ?? ""));
    const clusterName = existing.clusterName ?? name;

    // A provider of its own for the reads: the layer's provider is made from the contract's kubeconfig below,
    // which waits for this check.
    const reader = new k8s.Provider(`${name}-node-check`, { kubeconfig, clusterIdentifier: clusterName }, { parent: this });
    const nodes = existing.nodes.map((node) => k8s.core.v1.Node.get(`${name}-node-${node.name}`, node.name, { parent: this, provider: reader }));
    const labelsByNode = pulumi.all(
      Object.fromEntries(existing.nodes.map((node, i) => [node.name, nodes[i].metadata.apply((metadata) => (metadata?.labels ?? {}) as Record<string, string>)])),
    );
    const kubeletByNode = pulumi.all(
      Object.fromEntries(existing.nodes.map((node, i) => [node.name, nodes[i].status.apply((status) => status?.nodeInfo?.kubeletVersion)])),
    );
    // One Output, consumed by the layer's provider: it fails (and nothing reaches the cluster) when a node is not ready
    // for Gitpod: a missing label, or containerd paths that do not fit the node's distribution.
    const checkedKubeconfig = pulumi.all([kubeconfig, labelsByNode, kubeletByNode]).apply(([value, labels, kubelets]) => {
      const problems = [
        ...nodeLabelProblems(existing.nodes, labels, existing.distribution),
        ...distributionProblems(existing, kubelets),
      ];
      if (problems.length > 0) throw new ExistingClusterError(problems);
      return value;
    });

    const byRole = nodesByRole(existing.nodes);
    const noIdentity: WorkloadBinding = { serviceAccountAnnotations: pulumi.output<Record<string, string>>({}), podLabels: {} };
    this.platform = {
      cloud: "existing",
      domain: config.domain,
      clusterName: pulumi.output(clusterName),
      // Secret already: it comes from the secret config.
      kubeconfig: checkedKubeconfig,
      nodePools: poolRoles.map((role: PoolRole) => ({ role, name: pulumi.output(byRole[role].join(",")), labels: { ...gitpodNodeLabels[role] } })),
      containerRuntime: containerRuntimeOf(existing),
      database: databaseOf(existing, secrets),
      objectStorage: objectStorageOf(existing, secrets),
      registry: registryOf(existing, secrets),
      imageMirror: imageMirrorOf(registryOf(existing, secrets)),
      dns: dnsOf(config.domain, existing, secrets),
      workloadIdentity: Object.fromEntries(Object.keys(inClusterTools).map((tool) => [tool, noIdentity])) as Record<InClusterTool, WorkloadBinding>,
      backup: {
        provider: "velero.io/aws",
        pluginImage: veleroPluginImage("aws"),
        bucket: pulumi.output(existing.backup.bucket),
        config: pulumi.output(s3BackupConfig(existing.backup)),
        // Unused (velero.volumeBackup is fileSystem on existing clusters), but Velero's location needs a region.
        snapshotConfig: pulumi.output<Record<string, string>>({ region: existing.backup.region }),
        credentialsFile: pulumi.secret(
          secrets.apply((s) => awsCredentialsFile(existing.backup.accessKeyId, s.backup?.secretAccessKey ?? "")),
        ),
      },
      metadataRegion: metadataRegionOf(existing),
    };
    this.registerOutputs({ clusterName: this.platform.clusterName });
  }
}

type Secrets = pulumi.Output<ExistingSecretConfig>;

/**
 * Reads the secret values of the `existing` section as one Pulumi secret. The section always holds one (the
 * kubeconfig), so the stack file must hold it encrypted (`pulumi config set --secret --path existing.<key>`).
 */
export function readExistingSecrets(): Secrets {
  const key = `${configNamespace}:existing`;
  const isSecret = (pulumi.runtime as unknown as { isConfigSecret(k: string): boolean }).isConfigSecret(key);
  if (!isSecret) {
    throw new ConfigError([
      `${key}: holds secrets (kubeconfig, passwords, keys, DNS tokens) in plain text; set each with \`pulumi config set --secret --path existing.<key> <value>\``,
    ]);
  }
  return new pulumi.Config(configNamespace).requireSecretObject<ExistingSecretConfig>("existing");
}

function databaseOf(existing: ExistingConfig, secrets: Secrets): DatabaseEndpoint {
  const db = existing.database;
  if (db.kind === "inCluster") return { kind: "inCluster" };
  return {
    kind: "external",
    host: pulumi.output(db.host),
    port: pulumi.output(db.port),
    username: pulumi.output(db.username),
    password: pulumi.secret(secrets.apply((s) => s.database?.password ?? "")),
    database: "gitpod",
    caCertificate: db.caCertificate === undefined ? undefined : pulumi.output(db.caCertificate),
  };
}

function objectStorageOf(existing: ExistingConfig, secrets: Secrets): ObjectStorage {
  const storage = existing.objectStorage;
  if (storage.kind === "inCluster") return { kind: "inCluster" };
  return {
    kind: "s3",
    endpoint: gitpodS3Endpoint(storage.endpoint),
    region: storage.region,
    bucket: pulumi.output(storage.bucket),
    accessKeyId: pulumi.secret(storage.accessKeyId),
    secretAccessKey: pulumi.secret(secrets.apply((s) => s.objectStorage?.secretAccessKey ?? "")),
  };
}

function registryOf(existing: ExistingConfig, secrets: Secrets): ContainerRegistry {
  const registry = existing.registry;
  switch (registry.kind) {
    case "inCluster":
      return { kind: "inCluster" };
    case "external":
      return {
        kind: "external",
        url: pulumi.output(registry.url),
        server: pulumi.output(registry.server ?? registry.url.split("/")[0]),
        username: pulumi.output(registry.username),
        password: pulumi.secret(secrets.apply((s) => s.registry?.password ?? "")),
      };
    case "inClusterS3": {
      const storage = existing.objectStorage;
      // config/existing.ts rejects inClusterS3 without S3 object storage; this guards the type only.
      if (storage.kind !== "s3") throw new ExistingClusterError(["existing.registry inClusterS3 needs existing.objectStorage.kind s3"]);
      return {
        kind: "inClusterS3",
        bucket: pulumi.output(registry.bucket),
        region: storage.region,
        endpoint: gitpodS3Endpoint(storage.endpoint),
        accessKeyId: pulumi.secret(storage.accessKeyId),
        secretAccessKey: pulumi.secret(secrets.apply((s) => s.objectStorage?.secretAccessKey ?? "")),
      };
    }
  }
}

/** An external registry also holds the mirror of Gitpod's images, under `<url>/mirror`, read and written with its login. */
function imageMirrorOf(registry: ContainerRegistry): ImageMirror | undefined {
  if (registry.kind !== "external") return undefined;
  return {
    repository: pulumi.interpolate`${registry.url}/mirror`,
    push: { server: registry.server, username: registry.username, password: registry.password },
    pull: "registryPullSecret",
  };
}

/** Whether the solver reads anything from the credentials Secret (selfSigned never; a webhook only when given credentials). */
function needsCredentials(dns01: ExistingConfig["dns01"]): boolean {
  if (dns01.solver === "selfSigned") return false;
  if (dns01.solver === "webhook") return dns01.credentialKeys.length > 0;
  return true;
}

function dnsOf(domain: string, existing: ExistingConfig, secrets: Secrets): DnsInfo {
  const solver = secrets.apply((s) => dns01Solver(existing.dns01, s.dns01 ?? {}));
  const settings = existing.externalDns;
  const externalDns = settings && secrets.apply((s) => externalDnsSettings(settings, s.externalDns ?? {}));
  return {
    domain,
    // The zone is the operator's, at whatever DNS service holds it: nothing to delegate.
    zoneId: pulumi.output(domain),
    nameServers: pulumi.output([] as string[]),
    // Only Secret references and plain settings: no secret value, so the issuers stay readable in previews.
    acmeDns01Solver: pulumi.unsecret(solver.apply((s) => s.dns01)),
    acmeDns01Credentials: needsCredentials(existing.dns01) ? pulumi.secret(solver.apply((s) => s.credentials ?? {})) : undefined,
    issuer: existing.dns01.solver === "selfSigned" ? "selfSigned" : "letsencrypt",
    externalDns:
      settings && externalDns
        ? {
            provider: settings.provider,
            extraArgs: pulumi.unsecret(externalDns.apply((e) => e.extraArgs)),
            env: pulumi.unsecret(externalDns.apply((e) => e.env)),
            configFiles: pulumi.secret(externalDns.apply((e) => e.configFiles)),
          }
        : undefined,
  };
}
