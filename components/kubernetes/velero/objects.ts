/**
 * Velero's chart values and objects (BackupStorageLocation, VolumeSnapshotLocation, Schedule, the volume policy;
 * the Restore is in restore.ts), as pure functions of plain data. The component resolves the platform's Outputs and calls these; the tests
 * call them directly and validate them against the chart's values schema and Velero's CRD schemas (facts/schemas).
 */
import * as YAML from "yaml";
import { managedByLabel } from "../../managedLabel";
import { restoreResourcePriorities } from "./restoreOrder";
import { VolumeBackupMode } from "../../../config/velero";
import { ResolvedIdentity } from "../values";
import { veleroChart } from "../versions";

/** Fixed names: the docs, the runbook and `velero` CLI commands refer to them. */
export const veleroNames = {
  /** The BackupStorageLocation and VolumeSnapshotLocation (Velero's default location is named "default"). */
  location: "default",
  /** The read-only BackupStorageLocation on the backups' copy in the replica region (restore from the replica only). */
  replicaLocation: "replica",
  /** The one schedule; `restore.scheduleName: gitpod` restores its newest backup. */
  schedule: "gitpod",
  /** Kopia repository password: Velero reads exactly this Secret and key (and creates it with a static password if absent). */
  repositoryPasswordSecret: "velero-repo-credentials",
  repositoryPasswordKey: "repository-password",
  /** The platform's credentials file, where a store has no workload identity; the chart mounts key `cloud`. */
  cloudCredentialsSecret: "velero-cloud-credentials",
  cloudCredentialsKey: "cloud",
  /** ConfigMap with the volume policy the schedule names. */
  volumePolicy: "velero-volume-policy",
} as const;

/** The namespaces a backup holds and a restore brings back. */
export const backedUpNamespaces = ["gitpod", "cert-manager"] as const;

/**
 * Namespaced resources left out of every backup and restore: cert-manager's in-flight ACME state (re-created on
 * demand, stale after a restore, and restoring it would replay orders against Let's Encrypt) and events.
 * Secrets (the TLS certificate, the ACME account keys) and Certificates stay in.
 */
export const excludedFromBackup = [
  "orders.acme.cert-manager.io",
  "challenges.acme.cert-manager.io",
  "certificaterequests.cert-manager.io",
  "events",
  "events.events.k8s.io",
] as const;

/**
 * Also left out of a restore: Jobs. The Gitpod installer Job is Pulumi's and runs after the restore; a restored copy
 * would run the old installer again, and a Job's pod template is immutable, so Pulumi's apply would then fail.
 */
export const excludedFromRestoreOnly = ["jobs.batch"] as const;

const labels = { [managedByLabel.key]: managedByLabel.value, "app.kubernetes.io/part-of": "velero" };

/**
 * The objects a backup holds and a restore brings back, by label (Kubernetes selector semantics: `NotIn` also
 * matches an object without the label):
 * - not the objects Pulumi declares (`app.kubernetes.io/managed-by: pulumi`): Pulumi recreates them from its state,
 *   their Secrets are credentials it regenerates, and restoring one makes Pulumi's create fail with AlreadyExists;
 * - not Gitpod's workspaces: ws-manager labels every workspace pod, image builds and prebuilds included,
 *   `component: workspace` (gitpod 2022.11.3 components/ws-manager/pkg/manager/create.go); a restored one would come
 *   back without its content (ws-daemon's hostPath is gone with the node), and its spec carries the user's tokens.
 *   Gitpod's own `workspace` objects (service account, role binding, network policy) have that label too: the
 *   installer's `helm upgrade` creates them again.
 * The Restore uses the same selector, so backups taken before it existed are covered too.
 */
export const backupSelector = {
  matchExpressions: [
    { key: managedByLabel.key, operator: "NotIn", values: [managedByLabel.value] },
    { key: "component", operator: "NotIn", values: ["workspace"] },
  ],
} as const;

/** A fresh copy of the selector for an object's spec. */
export function backupSelectorCopy(): Record<string, unknown> {
  return { matchExpressions: backupSelector.matchExpressions.map((r) => ({ key: r.key, operator: r.operator, values: [...r.values] })) };
}


export interface VeleroValuesInput {
  /** Velero provider name of the platform (gcp, aws, azure). */
  provider: string;
  /** Provider plugin image, pinned by the platform; runs as an init container that copies the plugin. */
  pluginImage: string;
  /** Name of Velero's service account; the cloud identity trusts exactly this name. */
  serviceAccountName: string;
  /** Velero's workload identity, on its service account and on the server and node-agent pods. */
  identity: ResolvedIdentity;
  /** Secret holding the platform's credentials file (key `cloud`); unset where workload identity is used. */
  credentialsSecretName?: string;
  /** Node labels of the services pool, where the server and the node agents run. */
  nodeSelector: Record<string, string>;
}

/**
 * Values for the Velero chart (schema: facts/schemas/velero-chart/values.schema.json, merged over its values.yaml).
 * The locations and schedules are declared as objects of their own (see docs/disaster-recovery.md), so the chart's
 * lists are emptied; the chart manages the CRDs (from its crds/ directory) but not its CRD-upgrade hook Job.
 */
export function veleroValues(input: VeleroValuesInput): Record<string, unknown> {
  const pluginName = pluginContainerName(input.pluginImage);
  return {
    image: { repository: veleroChart.images.velero.repository, tag: veleroChart.images.velero.tag },
    // A Helm pre-upgrade hook running kubectl; the Chart resource applies crds/ itself and diffs each CRD.
    upgradeCRDs: false,
    cleanUpCRDs: false,
    initContainers: [
      {
        name: pluginName,
        image: input.pluginImage,
        imagePullPolicy: "IfNotPresent",
        volumeMounts: [{ mountPath: "/target", name: "plugins" }],
      },
    ],
    serviceAccount: {
      server: { create: true, name: input.serviceAccountName, annotations: { ...input.identity.serviceAccountAnnotations } },
    },
    podLabels: { ...input.identity.podLabels },
    credentials: input.credentialsSecretName ? { useSecret: true, existingSecret: input.credentialsSecretName } : { useSecret: false },
    configuration: {
      backupStorageLocation: [],
      volumeSnapshotLocation: [],
      uploaderType: "kopia",
      defaultBackupStorageLocation: veleroNames.location,
      restoreResourcePriorities: restoreResourcePriorities(),
      logFormat: "json",
    },
    // `velero install` defaults.
    resources: { requests: { cpu: "500m", memory: "128Mi" }, limits: { cpu: "1000m", memory: "512Mi" } },
    nodeSelector: { ...input.nodeSelector },
    deployNodeAgent: true,
    nodeAgent: {
      podLabels: { ...input.identity.podLabels },
      resources: { requests: { cpu: "500m", memory: "512Mi" }, limits: { cpu: "1000m", memory: "1Gi" } },
      // Gitpod's persistent volumes are on the services pool; workspaces keep no PVCs (Gitpod backs them up itself).
      nodeSelector: { ...input.nodeSelector },
    },
    metrics: { enabled: true },
    schedules: {},
  };
}

/** The init container's name: the plugin image's name without registry, path and tag, as a DNS label. */
export function pluginContainerName(image: string): string {
  const name = (image.split("/").pop() ?? image).split(/[:@]/)[0];
  const label = name.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 63).replace(/-+$/, "");
  return label || "velero-plugin";
}

/** The metadata of a Velero object in Velero's namespace. */
export function metadata(name: string, namespace: string, annotations?: Record<string, string>): Record<string, unknown> {
  return { name, namespace, labels: { ...labels }, ...(annotations ? { annotations } : {}) };
}

export interface LocationInput {
  /** Object name: the default location, or the replica's. */
  name?: string;
  /** Velero's namespace. */
  namespace: string;
  provider: string;
  bucket: string;
  /** BackupStorageLocation `config` from the platform. */
  config: Record<string, string>;
  /** Restore mode (and always for the replica): nothing may write to the backups while they are being restored from. */
  readOnly: boolean;
  /** Make `pulumi up` wait until the location is Available and synced (off for a location whose region may be down). */
  awaitSync?: boolean;
}

/**
 * The BackupStorageLocation on the platform's backup bucket. `pulumi up` waits until Velero has validated it
 * (Available) and synced the bucket's backups into the cluster once, so a Restore created after it finds its backup.
 */
export function backupStorageLocation(input: LocationInput): Record<string, unknown> {
  const name = input.name ?? veleroNames.location;
  const awaitSync = input.awaitSync ?? true;
  return {
    apiVersion: "velero.io/v1",
    kind: "BackupStorageLocation",
    metadata: metadata(
      name,
      input.namespace,
      awaitSync ? { "pulumi.com/waitFor": JSON.stringify(["jsonpath={.status.phase}=Available", "jsonpath={.status.lastSyncedTime}"]) } : undefined,
    ),
    spec: {
      provider: input.provider,
      objectStorage: { bucket: input.bucket },
      config: { ...input.config },
      default: name === veleroNames.location,
      accessMode: input.readOnly ? "ReadOnly" : "ReadWrite",
      validationFrequency: "1m",
      backupSyncPeriod: "1m",
    },
  };
}

/** The VolumeSnapshotLocation with the platform's snapshot config (used when `velero.volumeBackup` is snapshot). */
export function volumeSnapshotLocation(input: { namespace: string; provider: string; config: Record<string, string> }): Record<string, unknown> {
  return {
    apiVersion: "velero.io/v1",
    kind: "VolumeSnapshotLocation",
    metadata: metadata(veleroNames.location, input.namespace),
    spec: { provider: input.provider, config: { ...input.config } },
  };
}

/**
 * Velero's volume policy (a resource policy, version v1): pod-local volumes (emptyDir, generic ephemeral, hostPath)
 * are skipped, persistent volumes are backed up with the configured mode. The first matching rule wins.
 */
export function volumePolicy(mode: VolumeBackupMode): string {
  return YAML.stringify({
    version: "v1",
    volumePolicies: [
      { conditions: { volumeTypes: ["emptyDir", "ephemeral", "hostPath"] }, action: { type: "skip" } },
      {
        conditions: { volumeTypes: ["csi", "gcePersistentDisk", "awsElasticBlockStore", "azureDisk", "azureFile", "nfs", "local"] },
        action: { type: mode === "snapshot" ? "snapshot" : "fs-backup" },
      },
    ],
  });
}

export interface ScheduleInput {
  namespace: string;
  /** Five-field cron expression (UTC), `backup.schedule`. */
  cron: string;
  /** How long each backup is kept, `backup.ttlHours`. */
  ttlHours: number;
  volumeBackup: VolumeBackupMode;
  /** Restore mode: no new backups while the location is read-only. */
  paused: boolean;
}

/** The schedule backing up the gitpod and cert-manager namespaces into the default location. */
export function schedule(input: ScheduleInput): Record<string, unknown> {
  return {
    apiVersion: "velero.io/v1",
    kind: "Schedule",
    metadata: metadata(veleroNames.schedule, input.namespace),
    spec: {
      schedule: input.cron,
      paused: input.paused,
      // Backups outlive the Schedule object: a rebuilt cluster must still see (and restore) them.
      useOwnerReferencesInBackup: false,
      template: {
        includedNamespaces: [...backedUpNamespaces],
        excludedNamespaceScopedResources: [...excludedFromBackup],
        labelSelector: backupSelectorCopy(),
        storageLocation: veleroNames.location,
        volumeSnapshotLocations: [veleroNames.location],
        snapshotVolumes: input.volumeBackup === "snapshot",
        defaultVolumesToFsBackup: false,
        resourcePolicy: { kind: "configmap", name: veleroNames.volumePolicy },
        ttl: `${input.ttlHours}h0m0s`,
        metadata: { labels: { ...labels } },
      },
    },
  };
}
