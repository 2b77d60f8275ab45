/**
 * The Pulumi program: read and validate the stack config, build the cloud's reference architecture, build the
 * Kubernetes layer on it, and return the stack outputs. Nothing is registered before the config is valid.
 * index.ts runs it for the Pulumi CLI; the offline plan runs it on the mock runtime.
 */
import * as pulumi from "@pulumi/pulumi";
import { readStackConfig } from "./config/runtime";
import { createPlatform } from "./components/platforms";
import { KubernetesLayer } from "./components/kubernetes";
import { kubernetesProvider } from "./providers/kubernetes";
import { kubernetesLayerProviderName } from "./providers/kubernetesLayerName";

export function program() {
  const config = readStackConfig();
  const stack = pulumi.getStack();
  const platform = createPlatform(stack, config);
  const kubernetes = new KubernetesLayer(
    stack,
    { platform, config, stack },
    { provider: kubernetesProvider(kubernetesLayerProviderName(stack), { kubeconfig: platform.kubeconfig, clusterIdentifier: platform.clusterName }) },
  );

  return {
    cloud: config.cloud,
    domain: config.domain,
    clusterName: platform.clusterName,
    /** Secret: `pulumi stack output kubeconfig --show-secrets > kubeconfig`. */
    kubeconfig: pulumi.secret(platform.kubeconfig),
    /** Delegate the domain to these name servers at the registrar. */
    nameServers: platform.dns.nameServers,
    /** With DNSSEC, publish this DS record at the registrar after the delegation (where the cloud hands it over: AWS). */
    ...(platform.dns.dsRecord ? { dsRecord: platform.dns.dsRecord } : {}),
    nodePools: platform.nodePools.map((pool) => ({ role: pool.role, name: pool.name, labels: pool.labels })),
    /** Namespace the Gitpod workloads go into; the wildcard certificate's Secret lives there. */
    gitpodNamespace: kubernetes.gitpodNamespace,
    certificateSecretName: kubernetes.certificateSecretName,
    /** The Gitpod installer config (YAML, no secret values); the offline plan writes it to gitpod.config.yaml. */
    gitpodInstallerConfig: kubernetes.gitpod.installerConfig,
    /** The Gitpod release installed (known once the installer Job has completed). */
    gitpodVersion: kubernetes.gitpod.installedVersion,
    /** SHA256 fingerprint of the SSH gateway's host key, for clients' known_hosts (unset with gitpod.sshGateway false). */
    sshHostKeyFingerprint: kubernetes.gitpod.sshHostKeyFingerprint,
  };
}
