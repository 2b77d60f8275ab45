/**
 * The Kubernetes layer's hand-made platforms (test/kubernetes/fixtures.ts) with a backup target of each cloud's shape
 * and Velero's workload identity, so Velero is tested against the contract alone.
 */
import * as pulumi from "@pulumi/pulumi";
import { KubernetesLayer } from "../../components/kubernetes";
import { BackupTarget, Platform } from "../../components/platform";
import { StackConfig } from "../../config";
import { kubernetesProvider } from "../../providers/kubernetes";
import { Plan, planProgram } from "../../scripts/plan/run";
import { awsConfig } from "../aws/fixtures";
import { cloudCases, fakePlatform, layerConfig } from "../kubernetes/fixtures";

/** The clouds with a reference architecture of their own (each fills platform.backup). */
export type ManagedCloud = "gcp" | "aws" | "azure";

export interface VeleroCase {
  backup: { provider: string; pluginImage: string; bucket: string; config: Record<string, string>; snapshotConfig: Record<string, string> };
  annotations: Record<string, string>;
  podLabels: Record<string, string>;
}

export const veleroCases: Record<ManagedCloud, VeleroCase> = {
  gcp: {
    backup: {
      provider: "gcp",
      pluginImage: "velero/velero-plugin-for-gcp:v1.13.1",
      bucket: "gitpod-test-velero",
      config: { serviceAccount: "gp-test-velero@my-gitpod-project.iam.gserviceaccount.com" },
      snapshotConfig: { project: "my-gitpod-project", snapshotLocation: "europe-west1" },
    },
    annotations: { "iam.gke.io/gcp-service-account": "gp-test-velero@my-gitpod-project.iam.gserviceaccount.com" },
    podLabels: {},
  },
  aws: {
    backup: {
      provider: "aws",
      pluginImage: "velero/velero-plugin-for-aws:v1.13.1",
      bucket: "gitpod-test-velero",
      config: { region: "eu-west-1" },
      snapshotConfig: { region: "eu-west-1" },
    },
    annotations: { "eks.amazonaws.com/role-arn": "arn:aws:iam::123456789012:role/gitpod-test-velero" },
    podLabels: {},
  },
  azure: {
    backup: {
      provider: "azure",
      pluginImage: "velero/velero-plugin-for-microsoft-azure:v1.13.1",
      bucket: "velero",
      config: { resourceGroup: "gitpod-test-backup", storageAccount: "gitpodtestbackup", subscriptionId: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", useAAD: "true" },
      snapshotConfig: { resourceGroup: "gitpod-test-backup", subscriptionId: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", incremental: "true" },
    },
    annotations: { "azure.workload.identity/client-id": "99999999-8888-7777-6666-555555555555" },
    podLabels: { "azure.workload.identity/use": "true" },
  },
};

/** A fake platform of the cloud with its backup target (and, optionally, a credentials file). */
export function platformWithBackup(cloud: ManagedCloud, options: { credentialsFile?: string; replica?: { bucket: string; config: Record<string, string> } } = {}): Platform {
  const platform = fakePlatform(cloudCases[cloud]);
  const c = veleroCases[cloud];
  const backup: BackupTarget = {
    provider: c.backup.provider,
    pluginImage: c.backup.pluginImage,
    bucket: pulumi.output(c.backup.bucket),
    config: pulumi.output(c.backup.config),
    snapshotConfig: pulumi.output(c.backup.snapshotConfig),
    ...(options.credentialsFile ? { credentialsFile: pulumi.secret(options.credentialsFile) } : {}),
    ...(options.replica ? { replica: { bucket: pulumi.output(options.replica.bucket), config: pulumi.output(options.replica.config) } } : {}),
  };
  return {
    ...platform,
    backup,
    workloadIdentity: { ...platform.workloadIdentity, velero: { serviceAccountAnnotations: pulumi.output(c.annotations), podLabels: c.podLabels } },
  };
}

/** The layer's test config (a production GCP stack) with a backup replica region, as production stacks need. */
export function veleroLayerConfig(overrides: Record<string, unknown> = {}): StackConfig {
  const { backup, ...rest } = overrides as { backup?: Record<string, unknown> };
  return layerConfig({ backup: { replicaRegion: "europe-central2", ...backup }, ...rest });
}

/** An AWS production config with a replica region, for what only AWS and Azure offer (restore.fromReplica). */
export function veleroAwsLayerConfig(overrides: Record<string, unknown> = {}): StackConfig {
  return awsConfig(overrides);
}

/** Plans the Kubernetes layer alone for a platform built inside the mock runtime. */
export function planLayerOn(makePlatform: () => Platform, config: StackConfig = veleroLayerConfig()): Promise<Plan> {
  return planProgram(
    () => {
      const platform = makePlatform();
      const provider = kubernetesProvider("test-kubernetes", { kubeconfig: platform.kubeconfig, clusterIdentifier: platform.clusterName });
      const layer = new KubernetesLayer("test", { platform, config, stack: "test" }, { provider });
      return { gitpodNamespace: layer.gitpodNamespace };
    },
    { project: "gitpod-platform", stack: "test" },
  );
}
