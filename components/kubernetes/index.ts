/**
 * The cloud-agnostic Kubernetes layer. It knows the cloud only through the platform contract
 * (components/platform.ts) and never imports a cloud SDK.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { StackConfig } from "../../config";
import { Platform } from "../platform";
import { CertManager } from "./certManager";
import { GitpodCertificate } from "./certificate";
import { ExternalDns } from "./externalDns";
import { Gitpod } from "./gitpod";
import { LetsEncryptIssuers } from "./issuers";
import { fixedNamespace } from "./namespace";
import { defaultOwnerId, proxyServiceAnnotations } from "./values";

export { gitpodCertificateName } from "./certificate";
export { gitpodHostnames, proxyServiceAnnotations } from "./values";

/** The namespace Gitpod is installed into. */
export const gitpodNamespaceName = "gitpod";

export interface KubernetesLayerArgs {
  /** The contract the stack's cloud filled in: the only thing this layer knows about the cloud. */
  platform: Platform;
  /** The parts of the validated stack config this layer reads. */
  config: Pick<StackConfig, "environment" | "certificates" | "externalDns" | "gitpod" | "protect">;
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
  readonly issuers: LetsEncryptIssuers;
  readonly certificate: GitpodCertificate;
  readonly externalDns: ExternalDns;
  /** Gitpod: installer config, its Secrets and the installer Job (components/kubernetes/gitpod). */
  readonly gitpod: Gitpod;

  constructor(name: string, args: KubernetesLayerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:kubernetes:KubernetesLayer", name, {}, opts);
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
    this.issuers = new LetsEncryptIssuers(
      `${name}-issuers`,
      { email: config.certificates.acmeEmail, domain: platform.dns.domain, dns01: platform.dns.acmeDns01Solver },
      { parent: this, dependsOn: [this.certManager] },
    );
    this.certificate = new GitpodCertificate(
      `${name}-certificate`,
      { namespace: this.gitpodNamespace, domain: platform.dns.domain, issuer: config.certificates.issuer },
      { parent: this, dependsOn: [this.issuers] },
    );
    this.certificateSecretName = this.certificate.secretName;

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
    this.proxyServiceAnnotations = proxyServiceAnnotations(platform.dns.domain);
    this.gitpod = new Gitpod(
      `${name}-gitpod`,
      {
        platform,
        gitpod: config.gitpod,
        protect: config.protect,
        namespace: gitpodNamespaceName,
        proxyServiceAnnotations: this.proxyServiceAnnotations,
        dependsOn: [this.certManager, this.issuers, this.certificate],
      },
      { parent: this },
    );

    this.registerOutputs({ gitpodNamespace: this.gitpodNamespace, certificateSecretName: this.certificateSecretName });
  }
}
