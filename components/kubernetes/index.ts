/**
 * The cloud-agnostic Kubernetes layer. It knows the cloud only through the platform contract
 * (components/platform.ts) and never imports a cloud SDK.
 */
import * as k8s from "../../providers/sdk/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, configNamespace, StackConfig } from "../../config";
import { acmeDns01CredentialsSecret, Platform } from "../platform";
import { CertManager } from "./certManager";
import { GitpodCertificate } from "./certificate";
import { ExternalDns } from "./externalDns";
import { Gitpod } from "./gitpod";
import { LetsEncryptIssuers } from "./issuers";
import { labelManagedObjects } from "../managedLabel";
import { fixedNamespace } from "./namespace";
import { caIssuerName, dns01CredentialsSecret, SelfSignedCa } from "./selfSigned";
import { restoreSourceOf, Velero } from "./velero";
import { defaultOwnerId, proxyServiceAnnotations } from "./values";

export { gitpodCertificateName } from "./certificate";
export { gitpodHostnames, proxyServiceAnnotations } from "./values";

/** The namespace Gitpod is installed into. */
export const gitpodNamespaceName = "gitpod";

export interface KubernetesLayerArgs {
  /** The contract the stack's cloud filled in: the only thing this layer knows about the cloud. */
  platform: Platform;
  /** The parts of the validated stack config this layer reads. */
  config: Pick<StackConfig, "environment" | "certificates" | "externalDns" | "gitpod" | "protect" | "nodePools" | "backup" | "restore" | "velero">;
  /** Stack name, for the default external-dns owner id. */
  stack: string;
}

/**
 * Everything the stack runs on its cluster, on the Kubernetes provider given in `opts.provider`:
 * the Gitpod namespace, cert-manager with the Let's Encrypt issuers and the Gitpod certificate, and external-dns.
 * Later parts (Gitpod, Velero) are added here and take what they need from the fields below.
 */
export class KubernetesLayer extends pulumi.ComponentResource {
  /** The Gitpod namespace; depend on it (or read this Output) before installing into it. */
  readonly gitpodNamespace: pulumi.Output<string>;
  /** TLS Secret in the Gitpod namespace that cert-manager keeps current (installer `certificate.name`). */
  readonly certificateSecretName: pulumi.Output<string>;
  /** Annotations for Gitpod's proxy Service, so external-dns publishes `<domain>`, `*.<domain>`, `*.ws.<domain>`. */
  readonly proxyServiceAnnotations: Record<string, string>;
  readonly certManager: CertManager;
  /** Both Let's Encrypt issuers; absent when the platform asks for a private CA (`dns.issuer: selfSigned`). */
  readonly issuers?: LetsEncryptIssuers;
  /** The private CA of a test install (`dns.issuer: selfSigned`). */
  readonly selfSignedCa?: SelfSignedCa;
  readonly certificate: GitpodCertificate;
  /** external-dns; absent when the platform publishes no records (`dns.externalDns` unset). */
  readonly externalDns?: ExternalDns;
  /** Velero with its locations and schedule (and, in restore mode, the Restore). */
  readonly velero: Velero;
  /** Gitpod: installer config, its Secrets and the installer Job (components/kubernetes/gitpod). */
  readonly gitpod: Gitpod;

  constructor(name: string, args: KubernetesLayerArgs, opts?: pulumi.ComponentResourceOptions) {
    requireBackupTargetForRestore(args);
    // Every object declared under the layer carries Pulumi's label, so Velero leaves it out (managedLabel.ts).
    super("gitpod:kubernetes:KubernetesLayer", name, {}, { ...opts, transformations: [...(opts?.transformations ?? []), labelManagedObjects] });
    const { platform, config } = args;
    const services = platform.nodePools.find((pool) => pool.role === "services");
    const nodeSelector = services?.labels ?? {};
    const highAvailability = config.environment === "production";

    const gitpodNamespace: k8s.core.v1.Namespace = fixedNamespace(`${name}-gitpod-namespace`, gitpodNamespaceName, "privileged", {
      parent: this,
    });
    this.gitpodNamespace = gitpodNamespace.metadata.name;

    this.certManager = new CertManager(
      `${name}-cert-manager`,
      {
        identity: platform.workloadIdentity.certManager,
        recursiveNameservers: config.certificates.recursiveNameservers,
        nodeSelector,
        highAvailability,
      },
      { parent: this },
    );
    this.velero = veleroFor(`${name}-velero`, args, [this.certManager, gitpodNamespace], { parent: this });
    // In restore mode the issuers, the certificate and Gitpod come after the Restore has ended and its outcome was
    // checked: the issuers find their restored ACME account keys (or CA), the restored TLS Secret is there before the
    // Certificate (no new issuance), and Gitpod's installer upgrades its restored release. None of these objects is
    // in the restore (managed-by: pulumi), so none of their creates meets an existing object.
    const afterRestore = this.velero.restore && this.velero.restoreOutcome ? [this.velero.restore, this.velero.restoreOutcome] : [];
    // A DNS service without workload identity: the solver reads its token from a Secret beside cert-manager.
    const solverCredentials = platform.dns.acmeDns01Credentials
      ? [
          dns01CredentialsSecret(
            `${name}-dns01-credentials`,
            { secretName: acmeDns01CredentialsSecret, namespace: this.certManager.namespace, data: platform.dns.acmeDns01Credentials },
            { parent: this },
          ),
        ]
      : [];
    const selfSigned = platform.dns.issuer === "selfSigned";
    if (selfSigned) {
      this.selfSignedCa = new SelfSignedCa(
        `${name}-self-signed-ca`,
        { domain: platform.dns.domain, namespace: this.certManager.namespace, after: [this.certManager, ...afterRestore] },
        { parent: this, dependsOn: [this.certManager, ...afterRestore] },
      );
    } else {
      this.issuers = new LetsEncryptIssuers(
        `${name}-issuers`,
        { email: config.certificates.acmeEmail, domain: platform.dns.domain, dns01: platform.dns.acmeDns01Solver },
        { parent: this, dependsOn: [this.certManager, ...solverCredentials, ...afterRestore] },
      );
    }
    const issuers: pulumi.Resource = this.issuers ?? this.selfSignedCa!;
    this.certificate = new GitpodCertificate(
      `${name}-certificate`,
      { namespace: this.gitpodNamespace, domain: platform.dns.domain, issuer: selfSigned ? caIssuerName : config.certificates.issuer },
      { parent: this, dependsOn: [issuers, ...afterRestore] },
    );
    this.certificateSecretName = this.certificate.secretName;

    if (platform.dns.externalDns) {
      this.externalDns = new ExternalDns(
        `${name}-external-dns`,
        {
          target: platform.dns.externalDns,
          identity: platform.workloadIdentity.externalDns,
          domain: platform.dns.domain,
          ownerId: config.externalDns.ownerId ?? defaultOwnerId(args.stack),
          policy: config.externalDns.policy,
          nodeSelector,
        },
        { parent: this },
      );
    }
    this.proxyServiceAnnotations = { ...proxyServiceAnnotations(platform.dns.domain), ...platform.proxyLoadBalancerAnnotations };
    this.gitpod = new Gitpod(
      `${name}-gitpod`,
      {
        platform,
        gitpod: config.gitpod,
        environment: config.environment,
        protect: config.protect,
        namespace: gitpodNamespaceName,
        minNodes: Object.fromEntries(Object.entries(config.nodePools).map(([role, pool]) => [role, pool.minNodes])),
        proxyServiceAnnotations: this.proxyServiceAnnotations,
        dependsOn: [this.certManager, issuers, this.certificate, ...afterRestore],
      },
      { parent: this },
    );

    this.registerOutputs({ gitpodNamespace: this.gitpodNamespace, certificateSecretName: this.certificateSecretName });
  }
}

/** Restoring from the replica needs a replica location: checked before the layer registers anything. */
function requireBackupTargetForRestore({ platform, config }: KubernetesLayerArgs): void {
  if (config.restore?.fromReplica && !platform.backup.replica) {
    throw new ConfigError([
      `${configNamespace}:restore.fromReplica = true: the ${platform.cloud} platform has no read-only replica of the backups ` +
        "(GCP's dual-region bucket fails over by itself, and a stack without backup.replicaRegion has none); remove it",
    ]);
  }
}

/** Velero on the platform's backup target. */
function veleroFor(
  name: string,
  args: KubernetesLayerArgs,
  restoreAfter: pulumi.Resource[],
  opts: pulumi.ComponentResourceOptions,
): Velero {
  const { platform, config } = args;
  const services = platform.nodePools.find((pool) => pool.role === "services");
  return new Velero(
    name,
    {
      target: platform.backup,
      identity: platform.workloadIdentity.velero,
      nodeSelector: services?.labels ?? {},
      schedule: config.backup.schedule,
      ttlHours: config.backup.ttlHours,
      volumeBackup: config.velero.volumeBackup,
      restore: config.restore && restoreSourceOf(config.restore),
      restoreFromReplica: config.restore?.fromReplica,
      failover: config.backup.failover,
      acceptPartialFailure: config.restore?.acceptPartialFailure,
      restoreTimeoutMinutes: config.velero.restoreTimeoutMinutes,
      restoreAfter,
      protect: config.protect,
    },
    opts,
  );
}
