/**
 * Every Helm chart version and container image tag of the Kubernetes layer, pinned in one place.
 * Upgrading is a reviewed change to this file: the plan and `pulumi preview` show each object that changes.
 * The chart versions match the values schemas vendored in facts/schemas (see its README), which the tests
 * validate the chart values against; bump those files together with these pins.
 */

export interface PinnedChart {
  /** Chart name in its repository. */
  chart: string;
  /** Exact chart version: never a range, so a preview is reproducible. */
  version: string;
  /** Helm repository the chart is fetched from at preview/update time. */
  repository: string;
  /** Where the chart and its values schema live upstream. */
  source: string;
  /** Images the chart runs, pinned to the chart's appVersion. */
  images: Record<string, { repository: string; tag: string }>;
}

/**
 * cert-manager: chart and every image are released together under one tag.
 * Source: https://github.com/cert-manager/cert-manager/tree/v1.21.1/deploy/charts/cert-manager
 * (published chart version v1.21.1 = appVersion; repository https://charts.jetstack.io).
 */
export const certManagerChart: PinnedChart = {
  chart: "cert-manager",
  version: "v1.21.1",
  repository: "https://charts.jetstack.io",
  source: "https://github.com/cert-manager/cert-manager/tree/v1.21.1/deploy/charts/cert-manager",
  images: {
    controller: { repository: "quay.io/jetstack/cert-manager-controller", tag: "v1.21.1" },
    webhook: { repository: "quay.io/jetstack/cert-manager-webhook", tag: "v1.21.1" },
    cainjector: { repository: "quay.io/jetstack/cert-manager-cainjector", tag: "v1.21.1" },
    acmesolver: { repository: "quay.io/jetstack/cert-manager-acmesolver", tag: "v1.21.1" },
  },
};

/**
 * external-dns: chart 1.21.1 ships appVersion 0.21.0 (image tag v0.21.0).
 * Source: https://github.com/kubernetes-sigs/external-dns/tree/external-dns-helm-chart-1.21.1/charts/external-dns
 * (repository https://kubernetes-sigs.github.io/external-dns/).
 */
export const externalDnsChart: PinnedChart = {
  chart: "external-dns",
  version: "1.21.1",
  repository: "https://kubernetes-sigs.github.io/external-dns/",
  source: "https://github.com/kubernetes-sigs/external-dns/tree/external-dns-helm-chart-1.21.1/charts/external-dns",
  images: {
    externalDns: { repository: "registry.k8s.io/external-dns/external-dns", tag: "v0.21.0" },
  },
};

/** Let's Encrypt ACME directories (https://letsencrypt.org/docs/acme-protocol-updates/, /docs/staging-environment/). */
export const letsEncryptServers = {
  "letsencrypt-production": "https://acme-v02.api.letsencrypt.org/directory",
  "letsencrypt-staging": "https://acme-staging-v02.api.letsencrypt.org/directory",
} as const;

/**
 * Velero: chart 12.1.0 ships appVersion 1.18.1 (image tag v1.18.1). The provider plugin image comes from the
 * platform (`platform.backup.pluginImage`, pinned by each cloud), since it depends on the cloud.
 * Source: https://github.com/vmware-tanzu/helm-charts/tree/velero-12.1.0/charts/velero
 * (repository https://vmware-tanzu.github.io/helm-charts).
 */
export const veleroChart: PinnedChart = {
  chart: "velero",
  version: "12.1.0",
  repository: "https://vmware-tanzu.github.io/helm-charts",
  source: "https://github.com/vmware-tanzu/helm-charts/tree/velero-12.1.0/charts/velero",
  images: {
    velero: { repository: "docker.io/velero/velero", tag: "v1.18.1" },
  },
};
