/**
 * Hand-made platforms for the Kubernetes layer's tests: one per cloud, shaped the way each cloud fills the
 * contract (cert-manager's cloudDNS / route53 / azureDNS solvers, GKE / IRSA / Azure workload identity).
 * Nothing here comes from the cloud components, so these tests check the layer against the contract alone.
 */
import * as pulumi from "@pulumi/pulumi";
import { Cloud, parseStackConfig, StackConfig } from "../../config";
import { KubernetesLayer } from "../../components/kubernetes";
import { BackupTarget, gitpodNodeLabels, Platform, WorkloadBinding } from "../../components/platform";
import { veleroPluginImage } from "../../components/veleroPlugins";
import { kubernetesProvider } from "../../providers/kubernetes";
import { Plan, planProgram } from "../../scripts/plan/run";
import { configValues } from "../helpers";

export const domain = "gitpod.example.com";

/** What each fake cloud must make the layer do: the expectations the tests assert, per cloud. */
export interface CloudCase {
  cloud: Cloud;
  dns01: Record<string, unknown>;
  certManagerAnnotations: Record<string, string>;
  externalDnsAnnotations: Record<string, string>;
  podLabels: Record<string, string>;
  externalDnsProvider: string;
  externalDnsArgs: string[];
  externalDnsEnv: Record<string, string>;
  configFiles?: Record<string, string>;
}

const azureClientIds = { certManager: "11111111-2222-3333-4444-555555555555", externalDns: "66666666-7777-8888-9999-000000000000" };

export const cloudCases: Record<Cloud, CloudCase> = {
  gcp: {
    cloud: "gcp",
    dns01: { cloudDNS: { project: "my-gitpod-project", hostedZoneName: "gitpod-example-com" } },
    certManagerAnnotations: { "iam.gke.io/gcp-service-account": "gp-test-certs@my-gitpod-project.iam.gserviceaccount.com" },
    externalDnsAnnotations: { "iam.gke.io/gcp-service-account": "gp-test-dns@my-gitpod-project.iam.gserviceaccount.com" },
    podLabels: {},
    externalDnsProvider: "google",
    externalDnsArgs: ["--google-project=my-gitpod-project", "--google-zone-visibility=public"],
    externalDnsEnv: {},
  },
  aws: {
    cloud: "aws",
    dns01: { route53: { region: "eu-west-1", hostedZoneID: "Z0123456789EXAMPLE" } },
    certManagerAnnotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/gitpod-test-cert-manager" },
    externalDnsAnnotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/gitpod-test-external-dns" },
    podLabels: {},
    externalDnsProvider: "aws",
    externalDnsArgs: ["--aws-zone-type=public", "--zone-id-filter=Z0123456789EXAMPLE"],
    externalDnsEnv: { AWS_DEFAULT_REGION: "eu-west-1" },
  },
  azure: {
    cloud: "azure",
    dns01: {
      azureDNS: {
        subscriptionID: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
        resourceGroupName: "gitpod-test-dns",
        hostedZoneName: domain,
        environment: "AzurePublicCloud",
        managedIdentity: { clientID: azureClientIds.certManager },
      },
    },
    certManagerAnnotations: { "azure.workload.identity/client-id": azureClientIds.certManager },
    externalDnsAnnotations: { "azure.workload.identity/client-id": azureClientIds.externalDns },
    podLabels: { "azure.workload.identity/use": "true" },
    externalDnsProvider: "azure",
    externalDnsArgs: [],
    externalDnsEnv: {},
    configFiles: {
      "azure.json": JSON.stringify({
        subscriptionId: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
        resourceGroup: "gitpod-test-dns",
        useWorkloadIdentityExtension: true,
      }),
    },
  },
};

/** A backup target in the shape of each cloud's (every platform has one; test/velero checks Velero against them). */
function backupTarget(cloud: Cloud): BackupTarget {
  const configs: Record<Cloud, Record<string, string>> = {
    gcp: { serviceAccount: "gp-test-velero@my-gitpod-project.iam.gserviceaccount.com" },
    aws: { region: "eu-west-1" },
    azure: { resourceGroup: "gitpod-test", storageAccount: "gitpodtestbk000000", subscriptionId: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", useAAD: "true" },
  };
  return {
    provider: `velero.io/${cloud}`,
    pluginImage: veleroPluginImage(cloud),
    bucket: pulumi.output(cloud === "azure" ? "velero" : "gitpod-test-velero"),
    config: pulumi.output(configs[cloud]),
    snapshotConfig: pulumi.output<Record<string, string>>(cloud === "aws" ? { region: "eu-west-1" } : {}),
  };
}

function binding(annotations: Record<string, string>, podLabels: Record<string, string>): WorkloadBinding {
  return { serviceAccountAnnotations: pulumi.output(annotations), podLabels };
}

/** A Platform as the given cloud would fill it; only the fields the Kubernetes layer reads carry meaning. */
export function fakePlatform(c: CloudCase): Platform {
  const placeholder = pulumi.output("unused-by-the-kubernetes-layer");
  return {
    cloud: c.cloud,
    domain,
    clusterName: pulumi.output(`gitpod-test-${c.cloud}`),
    kubeconfig: pulumi.secret(`apiVersion: v1\nkind: Config\n# fake kubeconfig of ${c.cloud}\n`),
    nodePools: [
      { role: "services", name: pulumi.output("services"), labels: gitpodNodeLabels.services },
      { role: "regularWorkspaces", name: pulumi.output("regular"), labels: gitpodNodeLabels.regularWorkspaces },
      { role: "headlessWorkspaces", name: pulumi.output("headless"), labels: gitpodNodeLabels.headlessWorkspaces },
    ],
    containerRuntime: { socket: "/run/containerd/containerd.sock", runtimeDir: "/run/containerd/io.containerd.runtime.v2.task/k8s.io" },
    database: { kind: "inCluster" },
    objectStorage: { kind: "inCluster" },
    registry: { kind: "inCluster" },
    // A public mirror (as AWS's ECR Public): production stacks install from a mirror.
    imageMirror: {
      repository: pulumi.output("registry.example.com/gitpod-mirror"),
      push: { server: pulumi.output("registry.example.com"), username: pulumi.output("mirror"), password: pulumi.secret("mirror-push") },
      pull: "anonymous",
    },
    dns: {
      domain,
      zoneId: placeholder,
      nameServers: pulumi.output(["ns1.example.net", "ns2.example.net"]),
      acmeDns01Solver: placeholder.apply((): Record<string, unknown> => c.dns01),
      externalDns: {
        provider: c.externalDnsProvider,
        extraArgs: pulumi.output(c.externalDnsArgs),
        ...(Object.keys(c.externalDnsEnv).length > 0 ? { env: pulumi.output(c.externalDnsEnv) } : {}),
        ...(c.configFiles ? { configFiles: pulumi.output(c.configFiles) } : {}),
      },
    },
    workloadIdentity: {
      certManager: binding(c.certManagerAnnotations, c.podLabels),
      externalDns: binding(c.externalDnsAnnotations, c.podLabels),
      velero: binding({}, c.podLabels),
    },
    backup: backupTarget(c.cloud),
    metadataRegion: "test",
  };
}

/** The stack config sections the layer reads, validated by the real schema (a GCP stack; the layer ignores the cloud). */
export function layerConfig(overrides: Record<string, unknown> = {}): StackConfig {
  return parseStackConfig(
    configValues({
      cloud: "gcp",
      environment: "production",
      domain,
      gcp: { project: "my-gitpod-project", region: "europe-west1" },
      certificates: { acmeEmail: "ops@example.com" },
      backup: { replicaRegion: "europe-west4" },
      ...overrides,
    }),
  );
}

/** Plans the Kubernetes layer alone, on its own provider, for a fake platform. */
export function planLayer(c: CloudCase, config: StackConfig = layerConfig()): Promise<Plan> {
  return planProgram(
    () => {
      const platform = fakePlatform(c);
      const provider = kubernetesProvider("test-kubernetes", { kubeconfig: platform.kubeconfig, clusterIdentifier: platform.clusterName });
      const layer = new KubernetesLayer("test", { platform, config, stack: "test" }, { provider });
      return { gitpodNamespace: layer.gitpodNamespace, certificateSecretName: layer.certificateSecretName };
    },
    { project: "gitpod-platform", stack: "test" },
  );
}
