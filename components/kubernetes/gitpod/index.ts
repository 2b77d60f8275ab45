import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { ConfigError, configNamespace, PoolRole } from "../../../config";
import { GitpodConfig, GitpodSecretConfig } from "../../../config/gitpod";
import { Platform } from "../../platform";
import { WorkspaceNodeSettings, workspaceNodeDaemonSetName } from "../workspaceNodes";
import { GitpodInstaller } from "./installer";
import { gitpodInstallerConfig, GitpodPlatformFacts, gitpodNamespace, installerConfigYaml } from "./installerConfig";
import { GitpodPreconditionError, resolvedPreconditionProblems, staticFacts, staticPreconditionProblems } from "./preconditions";
import { workspaceNodeImage } from "../../gitpodImages/extraImages";
import { GitpodImages, imageSourceOf } from "./mirror";
import { imageFor } from "./mirror/settings";
import { mirrorInputs } from "./mirror/stack";
import { GitpodSecrets } from "./secrets";
import { sshGatewayHostKey } from "./sshHostKey";
import { installerImage } from "./versions";

export { gitpodInstallerConfig, installerConfigYaml, gitpodNamespace } from "./installerConfig";

export interface GitpodArgs {
  /** The stack's platform: the only thing Gitpod knows of the cloud. */
  platform: Platform;
  /** The validated `gitpod` config section. */
  gitpod: GitpodConfig;
  /** The stack's environment: production installs from the platform's image mirror unless `gitpod.mirror` says otherwise. */
  environment?: "production" | "development";
  /** Protect the generated database encryption key (production stacks): losing it makes stored tokens unreadable. */
  protect: boolean;
  /** Namespace Gitpod is installed into; it must exist (the Kubernetes layer creates it with the Certificate). */
  namespace?: string;
  /** Annotations for Gitpod's proxy Service so external-dns publishes its hostnames (from the Kubernetes layer). */
  proxyServiceAnnotations?: Record<string, string>;
  /** Lower bound of each node pool's autoscaler (stack config `nodePools`): pools at 0 may have no node at install time. */
  minNodes?: Partial<Record<PoolRole, number>>;
  /** Resources that must be ready first: the namespace, cert-manager and its issuers, the `https-certificates` Certificate. */
  dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/**
 * Gitpod on the stack's cluster: the installer config generated from the platform, the Secrets it names, and the
 * in-cluster installer Job that applies it and waits until Gitpod is ready.
 */
export class Gitpod extends pulumi.ComponentResource {
  /** The installer config as YAML; holds no secret value (exported as the stack output `gitpodInstallerConfig`). */
  readonly installerConfig: pulumi.Output<string>;
  readonly installer: GitpodInstaller;
  readonly secrets: GitpodSecrets;
  readonly workspaceNodes: WorkspaceNodeSettings;
  /** SHA256 fingerprint of the SSH gateway's host key (unless `gitpod.sshGateway: false`), for known_hosts checks. */
  readonly sshHostKeyFingerprint?: pulumi.Output<string>;
  /** The Gitpod release installed: resolves when the installer Job has completed (stack output `gitpodVersion`). */
  readonly installedVersion: pulumi.Output<string>;
  /** The mirror copy (when the stack mirrors) and the image preflight, both before the installer. */
  readonly images: GitpodImages;

  constructor(name: string, args: GitpodArgs, opts?: pulumi.ComponentResourceOptions) {
    // Checked before anything (this component included) is registered.
    installerImage(args.gitpod);
    const imageSource = imageSourceOf(args.gitpod, args.environment ?? "development", args.platform.imageMirror !== undefined);
    const secretConfig = readGitpodSecretConfig(args.gitpod);
    const platformProblems = staticPreconditionProblems(args.gitpod, staticFacts(args.platform));
    if (platformProblems.length > 0) throw new GitpodPreconditionError(platformProblems);
    super("gitpod:kubernetes:Gitpod", name, {}, opts);
    const { platform, gitpod } = args;
    const namespace = args.namespace ?? gitpodNamespace;

    const facts = gitpodPlatformFacts(platform, args.proxyServiceAnnotations ?? {});
    const mirror = mirrorInputs(imageSource, platform, gitpod, facts);
    // The installer's `repository`: the mirror or upstream; the installer image comes from the same place.
    this.installerConfig = pulumi.all([facts, mirror.repository]).apply(([resolved, repository]) => {
      const problems = resolvedPreconditionProblems(resolved);
      if (problems.length > 0) throw new GitpodPreconditionError(problems);
      return installerConfigYaml(gitpodInstallerConfig({ ...gitpod, imageRepository: repository }, resolved));
    });
    const image = mirror.repository.apply((repository) => installerImage({ ...gitpod, imageRepository: repository }));

    const encryptionKey =
      secretConfig.databaseEncryptionKey ??
      new random.RandomBytes(`${name}-db-encryption-key`, { length: 32 }, { parent: this, protect: args.protect }).base64;

    const hostKey = gitpod.sshGateway ? sshGatewayHostKey(`${name}-ssh-host-key`, args.protect, this) : undefined;
    this.sshHostKeyFingerprint = hostKey?.publicKeyFingerprintSha256;

    this.secrets = new GitpodSecrets(
      `${name}-secrets`,
      {
        namespace,
        platform,
        gitpod,
        authClientSecrets: secretConfig.authClientSecrets,
        licenseKey: secretConfig.licenseKey,
        encryptionKey: pulumi.secret(encryptionKey),
        sshHostKey: hostKey && pulumi.secret(hostKey.privateKeyOpenssh),
        dependsOn: args.dependsOn,
      },
      { parent: this },
    );

    const servicesPool = platform.nodePools.find((pool) => pool.role === "services");
    const nodeSelector: Record<string, string> = servicesPool?.labels["gitpod.io/workload_meta"] === "true" ? { "gitpod.io/workload_meta": "true" } : {};
    this.images = new GitpodImages(`${name}-images`, { ...mirror.images, nodeSelector }, { parent: this });
    // BusyBox comes from where Gitpod's images come from, so after the copy when the stack mirrors.
    this.workspaceNodes = new WorkspaceNodeSettings(
      `${name}-workspace-nodes`,
      {
        namespace,
        workspaceLabels: workspaceLabelKeys(platform),
        image: mirror.repository.apply((repository) => imageFor(repository, workspaceNodeImage)),
        dependsOn: [...(args.dependsOn ?? []), ...(this.images.copy ? [this.images.copy] : [])],
      },
      { parent: this },
    );
    this.installer = new GitpodInstaller(
      `${name}-installer`,
      {
        namespace,
        domain: platform.domain,
        version: gitpod.version,
        image,
        configYaml: this.installerConfig,
        timeoutMinutes: gitpod.installTimeoutMinutes,
        scaleFromZeroLabels: scaleFromZeroLabels(platform, args.minNodes ?? {}),
        nodeSelector,
        workspaceNodeDaemonSet: workspaceNodeDaemonSetName,
        dependsOn: [...(args.dependsOn ?? []), ...this.secrets.secrets, this.workspaceNodes.daemonSet, this.images.preflight],
      },
      { parent: this },
    );
    this.installedVersion = this.installer.job.metadata.apply(() => gitpod.version);
    this.registerOutputs({ installerConfig: this.installerConfig, installedVersion: this.installedVersion });
  }
}

/** The node labels that mark workspace pools (regular and headless), as the platform sets them. */
export function workspaceLabelKeys(platform: Pick<Platform, "nodePools">): string[] {
  const keys = platform.nodePools
    .filter((pool) => pool.role === "regularWorkspaces" || pool.role === "headlessWorkspaces")
    .flatMap((pool) => Object.keys(pool.labels).filter((key) => key.startsWith("gitpod.io/workload_workspace_") && pool.labels[key] === "true"));
  return [...new Set(keys)].sort();
}

/**
 * Gitpod labels found only on pools that may have no node (minNodes 0): the installer's cluster validation cannot
 * see them before Gitpod schedules a pod there and the autoscaler adds a node, so the Job tolerates exactly those.
 */
export function scaleFromZeroLabels(platform: Pick<Platform, "nodePools">, minNodes: Partial<Record<PoolRole, number>>): string[] {
  const labelsOf = (pools: Platform["nodePools"]) => new Set(pools.flatMap((pool) => Object.keys(pool.labels).filter((k) => pool.labels[k] === "true")));
  const alwaysPresent = labelsOf(platform.nodePools.filter((pool) => (minNodes[pool.role] ?? 1) > 0));
  return [...labelsOf(platform.nodePools.filter((pool) => minNodes[pool.role] === 0))].filter((label) => !alwaysPresent.has(label)).sort();
}

/** The plain, non-secret facts of the platform the installer config is built from. */
export function gitpodPlatformFacts(platform: Platform, proxyServiceAnnotations: Record<string, string> = {}): pulumi.Output<GitpodPlatformFacts> {
  const db = platform.database;
  // Cloud SQL too is an external database over TLS (docs/gcp.md): Gitpod's Cloud SQL proxy path is not used.
  const database = pulumi.output<GitpodPlatformFacts["database"]>(
    db.kind === "external" ? { kind: "external", tls: db.caCertificate !== undefined } : { kind: "inCluster" },
  );

  const st = platform.objectStorage;
  const objectStorage: pulumi.Output<GitpodPlatformFacts["objectStorage"]> =
    st.kind === "gcs"
      ? st.project.apply((project) => ({ kind: "gcs" as const, project, region: st.region }))
      : st.kind === "s3"
        ? st.bucket.apply((bucket) => ({ kind: "s3" as const, endpoint: st.endpoint, region: st.region, bucket }))
        : pulumi.output<GitpodPlatformFacts["objectStorage"]>(st.kind === "azure" ? { kind: "azure" } : { kind: "inCluster" });

  const reg = platform.registry;
  const registry: pulumi.Output<GitpodPlatformFacts["registry"]> =
    reg.kind === "external"
      ? reg.url.apply((url) => ({ kind: "external" as const, url }))
      : reg.kind === "inClusterS3"
        ? reg.bucket.apply((bucket) => ({ kind: "inClusterS3" as const, bucket, region: reg.region, endpoint: reg.endpoint }))
        : pulumi.output({ kind: "inCluster" as const });

  return pulumi.all([database, objectStorage, registry]).apply(([databaseFacts, storageFacts, registryFacts]) => ({
    domain: platform.domain,
    proxyServiceAnnotations,
    metadataRegion: platform.metadataRegion,
    containerRuntime: { socket: platform.containerRuntime.socket, runtimeDir: platform.containerRuntime.runtimeDir },
    nodePools: platform.nodePools.map((pool) => ({ role: pool.role, labels: pool.labels })),
    database: databaseFacts,
    objectStorage: storageFacts,
    registry: registryFacts,
    ...(platform.dns.issuer === "selfSigned" ? { privateCa: true } : {}),
  }));
}

/**
 * Reads the secret values of the `gitpod` section as Pulumi secrets. The validated StackConfig has them stripped;
 * the stack file must hold them encrypted (`pulumi config set --secret --path ...`), which is checked here.
 */
export function readGitpodSecretConfig(gitpod: GitpodConfig): {
  authClientSecrets: pulumi.Output<Record<string, string>>;
  licenseKey?: pulumi.Output<string>;
  databaseEncryptionKey?: pulumi.Output<string>;
} {
  const key = `${configNamespace}:gitpod`;
  const holdsSecrets = gitpod.authProviders.length > 0 || gitpod.license !== undefined || gitpod.importedDatabaseEncryptionKey;
  const isSecret = (pulumi.runtime as unknown as { isConfigSecret(k: string): boolean }).isConfigSecret(key);
  if (holdsSecrets && !isSecret) {
    throw new ConfigError([
      `${key}: holds a secret (authProviders[].clientSecret, license.key or databaseEncryptionKey) in plain text; ` +
        "set each with `pulumi config set --secret --path gitpod.<path> <value>`",
    ]);
  }
  const raw = new pulumi.Config(configNamespace).getSecretObject<GitpodSecretConfig>("gitpod") ?? pulumi.secret<GitpodSecretConfig>({});
  return {
    authClientSecrets: raw.apply((value) =>
      Object.fromEntries((value?.authProviders ?? []).map((provider) => [provider.id, provider.clientSecret])),
    ),
    licenseKey: gitpod.license ? raw.apply((value) => value?.license?.key ?? "") : undefined,
    databaseEncryptionKey: gitpod.importedDatabaseEncryptionKey ? raw.apply((value) => value?.databaseEncryptionKey ?? "") : undefined,
  };
}
