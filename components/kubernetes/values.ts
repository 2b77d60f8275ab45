/**
 * Helm values of the Kubernetes layer's charts, as pure functions of plain data: the components resolve the
 * platform's Outputs first and call these, and the tests call them directly and validate the result against the
 * charts' own values schemas (facts/schemas).
 */
import { certManagerChart, externalDnsChart } from "./versions";

/** What binds a tool's service account to its cloud identity, resolved (see Platform.workloadIdentity). */
export interface ResolvedIdentity {
  /** Annotations on the tool's Kubernetes service account. */
  serviceAccountAnnotations: Record<string, string>;
  /** Labels on the tool's pods (Azure workload identity's webhook selects pods by label). */
  podLabels: Record<string, string>;
}

export interface CertManagerValuesInput {
  /** Name of the controller's service account; the cloud identity trusts exactly this name. */
  serviceAccountName: string;
  /** The controller's workload identity: it is the only cert-manager pod that talks to the DNS API. */
  identity: ResolvedIdentity;
  /** Resolvers for the DNS-01 propagation check, `host:port` or `https://` URLs. */
  recursiveNameservers: string[];
  /** Node labels every cert-manager pod is scheduled by (the services pool). */
  nodeSelector: Record<string, string>;
  /** Two replicas of controller, webhook and cainjector with a disruption budget each. */
  highAvailability: boolean;
}

/** Values for the cert-manager chart (schema: facts/schemas/cert-manager/values.schema.json). */
export function certManagerValues(input: CertManagerValuesInput): Record<string, unknown> {
  const replicas = input.highAvailability ? 2 : 1;
  const disruptionBudget = { enabled: input.highAvailability, minAvailable: 1 };
  const image = (name: keyof typeof certManagerChart.images) => ({ ...certManagerChart.images[name] });
  return {
    // The chart owns the CRDs, so a chart upgrade upgrades them in the same preview.
    crds: { enabled: true, keep: true },
    global: { nodeSelector: { ...input.nodeSelector } },
    image: image("controller"),
    replicaCount: replicas,
    podDisruptionBudget: disruptionBudget,
    serviceAccount: {
      create: true,
      name: input.serviceAccountName,
      annotations: { ...input.identity.serviceAccountAnnotations },
    },
    podLabels: { ...input.identity.podLabels },
    dns01RecursiveNameservers: input.recursiveNameservers.join(","),
    dns01RecursiveNameserversOnly: true,
    webhook: { image: image("webhook"), replicaCount: replicas, podDisruptionBudget: disruptionBudget },
    cainjector: { image: image("cainjector"), replicaCount: replicas, podDisruptionBudget: disruptionBudget },
    acmesolver: { image: image("acmesolver") },
    // A Helm hook: the Chart resource skips hooks, and Pulumi already waits for the webhook to be ready.
    startupapicheck: { enabled: false },
  };
}

/**
 * external-dns's TXT-registry settings. Never change them on a running stack: records written with other
 * settings are no longer recognised as owned (see docs/kubernetes.md).
 * - The prefix ends in a dot and names the record type, so the ownership record of the zone apex (`<domain>`)
 *   lands inside the zone (`extdns-a.<domain>`), not in the parent zone.
 * - `*` is not a valid first label of a TXT name at most providers; "wildcard" replaces it.
 */
export const txtRegistry = { prefix: "extdns-%{record_type}.", wildcardReplacement: "wildcard" } as const;

/** Where external-dns finds its provider config files (Azure's default --azure-config-file is /etc/kubernetes/azure.json). */
export const externalDnsConfigMountPath = "/etc/kubernetes";

export interface ExternalDnsValuesInput {
  /** external-dns provider name (google, aws, azure). */
  provider: string;
  /** The stack's domain: the only zone external-dns may touch. */
  domain: string;
  /** TXT-registry owner id. */
  ownerId: string;
  /** sync, upsert-only or create-only. */
  policy: "sync" | "upsert-only" | "create-only";
  /** Provider flags from the platform, e.g. --google-project=... */
  providerArgs: string[];
  /** Environment from the platform, e.g. AWS_DEFAULT_REGION. */
  env: Record<string, string>;
  /** Name of the service account; the cloud identity trusts exactly this name. */
  serviceAccountName: string;
  /** external-dns's workload identity. */
  identity: ResolvedIdentity;
  /** Secret holding the platform's provider config files, mounted at /etc/kubernetes; none when absent. */
  configSecretName?: string;
  /** Node labels of the services pool. */
  nodeSelector: Record<string, string>;
}

/** Values for the external-dns chart (schema: facts/schemas/external-dns-chart/values.schema.json). */
export function externalDnsValues(input: ExternalDnsValuesInput): Record<string, unknown> {
  const configVolume = "provider-config";
  return {
    image: { ...externalDnsChart.images.externalDns },
    provider: { name: input.provider },
    serviceAccount: {
      create: true,
      name: input.serviceAccountName,
      annotations: { ...input.identity.serviceAccountAnnotations },
    },
    podLabels: { ...input.identity.podLabels },
    // Gitpod's proxy is a LoadBalancer Service annotated with its host names; nothing else is published.
    sources: ["service"],
    domainFilters: [input.domain],
    policy: input.policy,
    registry: "txt",
    txtOwnerId: input.ownerId,
    txtPrefix: txtRegistry.prefix,
    interval: "1m",
    triggerLoopOnEvent: true,
    extraArgs: [
      "--service-type-filter=LoadBalancer",
      `--txt-wildcard-replacement=${txtRegistry.wildcardReplacement}`,
      ...input.providerArgs,
    ],
    env: Object.entries(input.env)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, value]) => ({ name, value })),
    ...(input.configSecretName
      ? {
          extraVolumes: [{ name: configVolume, secret: { secretName: input.configSecretName } }],
          extraVolumeMounts: [{ name: configVolume, mountPath: externalDnsConfigMountPath, readOnly: true }],
        }
      : {}),
    nodeSelector: { ...input.nodeSelector },
  };
}

/** Host names Gitpod serves: the domain, its wildcard, and the workspaces' wildcard. */
export function gitpodHostnames(domain: string): string[] {
  return [domain, `*.${domain}`, `*.ws.${domain}`];
}

/** Annotations Gitpod's proxy Service needs so external-dns publishes its load balancer for every Gitpod host. */
export function proxyServiceAnnotations(domain: string): Record<string, string> {
  return { "external-dns.alpha.kubernetes.io/hostname": gitpodHostnames(domain).join(",") };
}

/** Default TXT-registry owner id for a stack: gitpod-<stack>, as a DNS label. */
export function defaultOwnerId(stack: string): string {
  const label = `gitpod-${stack}`
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .slice(0, 63)
    .replace(/-+$/, "");
  return label;
}
