import * as k8s from "../../../providers/sdk/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { VolumeBackupMode } from "../../../config/velero";
import { BackupTarget, inClusterTools, WorkloadBinding } from "../../platform";
import { retainCustomResourceDefinitions } from "../certManager";
import { pinnedChart } from "../chart";
import { fixedNamespace } from "../namespace";
import { veleroChart } from "../versions";
import {
  backupStorageLocation,
  schedule,
  veleroNames,
  veleroValues,
  volumePolicy,
  volumeSnapshotLocation,
} from "./objects";
import { restore, RestoreSource } from "./restore";
import { restoreOutcomeRecord } from "./restoreOutcome";

export { backedUpNamespaces, backupSelector, excludedFromBackup, excludedFromRestoreOnly, veleroNames } from "./objects";
export { restoreName, restoreSourceOf } from "./restore";

export interface VeleroArgs {
  /** The platform's backup target: provider, plugin image, bucket, location configs, optional credentials file. */
  target: BackupTarget;
  /** Service-account annotations and pod labels that bind Velero (server and node agents) to its cloud identity. */
  identity: WorkloadBinding;
  /** Node labels of the services pool, where the server and the node agents run. */
  nodeSelector: Record<string, string>;
  /** When backups run (cron, UTC): `backup.schedule`. */
  schedule: string;
  /** How long each backup is kept, in hours: `backup.ttlHours`. */
  ttlHours: number;
  /** File-system backup (kopia, into the bucket) or the cloud's snapshots for persistent volumes: `velero.volumeBackup`. */
  volumeBackup: VolumeBackupMode;
  /** Restore mode: the backup or schedule to restore from (`restore`); unset in normal operation. */
  restore?: RestoreSource;
  /** Restore from the backups' read-only copy in the replica region (`restore.fromReplica`); needs `target.replica`. */
  restoreFromReplica?: boolean;
  /**
   * The primary region is lost (`backup.failover`): a restore reads the replica of the backups wherever the platform
   * hands one over (AWS, Azure); on GCP the dual-region bucket serves from the surviving region under its name.
   */
  failover?: boolean;
  /** Let a PartiallyFailed restore through (`restore.acceptPartialFailure`), after the operator read its errors. */
  acceptPartialFailure?: boolean;
  /** Minutes `pulumi up` waits for the Restore to complete: `velero.restoreTimeoutMinutes`. */
  restoreTimeoutMinutes: number;
  /** What must be ready before the Restore is created besides Velero: cert-manager (its CRDs) and the gitpod namespace. */
  restoreAfter: pulumi.Input<pulumi.Resource>[];
  /** Protect the repository password (production): without it, no backup in the bucket can be read. */
  protect: boolean;
}

/**
 * Velero from its official chart (helm.sh/v4 Chart, CRDs retained on delete) in its own namespace, with the
 * provider plugin, node agents for file-system backup with kopia, the kopia repository password from Pulumi state,
 * the backup and snapshot locations, the schedule and, in restore mode, the Restore.
 */
export class Velero extends pulumi.ComponentResource {
  readonly namespace: pulumi.Output<string>;
  readonly chart: k8s.helm.v4.Chart;
  readonly backupStorageLocation: k8s.apiextensions.CustomResource;
  /** The read-only location on the replica region's copy, only while restoring from it. */
  readonly replicaLocation?: k8s.apiextensions.CustomResource;
  readonly volumeSnapshotLocation: k8s.apiextensions.CustomResource;
  readonly schedule: k8s.apiextensions.CustomResource;
  /** The Restore, in restore mode only. */
  readonly restore?: k8s.apiextensions.CustomResource;
  /** Exists once the Restore ended and its outcome was accepted: whatever must follow the restored data depends on it. */
  readonly restoreOutcome?: k8s.core.v1.ConfigMap;

  constructor(name: string, args: VeleroArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:kubernetes:Velero", name, {}, opts);
    const tool = inClusterTools.velero;
    const target = args.target;
    // Privileged: the node agents mount the kubelet's pod directories (hostPath) and run as root to read volumes.
    const namespace = fixedNamespace(`${name}-namespace`, tool.namespace, "privileged", { parent: this });
    this.namespace = namespace.metadata.name;

    // Velero creates this Secret with a well-known static password when it is missing: create it first, from a
    // password kept in Pulumi state, so a rebuilt cluster opens the same kopia repository.
    const password = new random.RandomPassword(
      `${name}-repository-password`,
      { length: 32, special: false },
      { parent: this, protect: args.protect },
    );
    const passwordSecret = new k8s.core.v1.Secret(
      `${name}-repo-credentials`,
      {
        metadata: { name: veleroNames.repositoryPasswordSecret, namespace: this.namespace, labels: { "app.kubernetes.io/managed-by": "pulumi" } },
        type: "Opaque",
        stringData: pulumi.secret(password.result.apply((value) => ({ [veleroNames.repositoryPasswordKey]: value }))),
      },
      { parent: this },
    );

    const chartDependencies: pulumi.Resource[] = [passwordSecret];
    let credentialsSecretName: pulumi.Output<string> | undefined;
    if (target.credentialsFile) {
      const credentials = new k8s.core.v1.Secret(
        `${name}-cloud-credentials`,
        {
          metadata: { name: veleroNames.cloudCredentialsSecret, namespace: this.namespace, labels: { "app.kubernetes.io/managed-by": "pulumi" } },
          type: "Opaque",
          stringData: pulumi.secret(target.credentialsFile.apply((file) => ({ [veleroNames.cloudCredentialsKey]: file }))),
        },
        { parent: this },
      );
      chartDependencies.push(credentials);
      credentialsSecretName = credentials.metadata.name;
    }

    const values = pulumi
      .all([args.identity.serviceAccountAnnotations, credentialsSecretName ?? pulumi.output(undefined)])
      .apply(([serviceAccountAnnotations, secretName]) =>
        veleroValues({
          provider: target.provider,
          pluginImage: target.pluginImage,
          serviceAccountName: tool.serviceAccount,
          identity: { serviceAccountAnnotations, podLabels: args.identity.podLabels },
          credentialsSecretName: secretName,
          nodeSelector: args.nodeSelector,
        }),
      );
    this.chart = pinnedChart(`${name}-chart`, veleroChart, this.namespace, values, { parent: this, dependsOn: chartDependencies, transforms: [retainCustomResourceDefinitions] });

    // Velero's own objects wait for the chart: its CRDs, and a running server to validate and sync the location.
    const afterChart = { parent: this, dependsOn: [this.chart] };
    const restoreMode = args.restore !== undefined;
    // After a region loss, the primary location (AWS bucket, Azure primary endpoint) is in the lost region.
    const primaryLost = args.failover === true && target.replica !== undefined;
    const fromReplica = restoreMode && (args.restoreFromReplica === true || primaryLost);
    if (fromReplica && !target.replica) throw new Error("restore.fromReplica: the platform's backup target has no replica");
    this.backupStorageLocation = customResource(
      `${name}-backup-location`,
      "BackupStorageLocation",
      pulumi.all([this.namespace, target.bucket, target.config]).apply(([ns, bucket, config]) =>
        // Restoring from the replica, or running after a region loss, the primary region may be down: do not wait for
        // its location (the update would time out on it, and with it the recovery's last step).
        backupStorageLocation({ namespace: ns, provider: target.provider, bucket, config, readOnly: restoreMode, awaitSync: !fromReplica && !primaryLost }),
      ),
      afterChart,
    );
    if (fromReplica && target.replica) {
      const replica = target.replica;
      this.replicaLocation = customResource(
        `${name}-replica-location`,
        "BackupStorageLocation",
        pulumi.all([this.namespace, replica.bucket, replica.config]).apply(([ns, bucket, config]) =>
          backupStorageLocation({ name: veleroNames.replicaLocation, namespace: ns, provider: target.provider, bucket, config, readOnly: true }),
        ),
        afterChart,
      );
    }
    this.volumeSnapshotLocation = customResource(
      `${name}-snapshot-location`,
      "VolumeSnapshotLocation",
      pulumi.all([this.namespace, target.snapshotConfig]).apply(([ns, config]) => volumeSnapshotLocation({ namespace: ns, provider: target.provider, config })),
      afterChart,
    );
    const policy = new k8s.core.v1.ConfigMap(
      `${name}-volume-policy`,
      {
        metadata: { name: veleroNames.volumePolicy, namespace: this.namespace, labels: { "app.kubernetes.io/managed-by": "pulumi" } },
        data: { "policy.yaml": volumePolicy(args.volumeBackup) },
      },
      { parent: this },
    );
    this.schedule = customResource(
      `${name}-schedule`,
      "Schedule",
      this.namespace.apply((ns) =>
        schedule({ namespace: ns, cron: args.schedule, ttlHours: args.ttlHours, volumeBackup: args.volumeBackup, paused: restoreMode }),
      ),
      { parent: this, dependsOn: [this.chart, this.backupStorageLocation, this.volumeSnapshotLocation, policy] },
    );

    if (args.restore) {
      const source = args.restore;
      const timeout = `${args.restoreTimeoutMinutes}m`;
      this.restore = customResource(
        `${name}-restore`,
        "Restore",
        this.namespace.apply((ns) => restore({ namespace: ns, source })),
        {
          parent: this,
          // Recorded on the Restore itself: after Velero (chart, location synced, repository password) and whatever
          // the restored objects need (cert-manager's CRDs, the gitpod namespace).
          dependsOn: [this.chart, this.replicaLocation ?? this.backupStorageLocation, passwordSecret, ...args.restoreAfter],
          // Velero acts on a Restore once: another source is a new Restore.
          replaceOnChanges: ["spec"],
          deleteBeforeReplace: true,
          customTimeouts: { create: timeout, update: timeout },
        },
        // The live status is an output of its own: the outcome check reads it.
        { status: undefined },
      );
      this.restoreOutcome = restoreOutcomeRecord(
        `${name}-restore-outcome`,
        { restore: this.restore, namespace: this.namespace, acceptPartialFailure: args.acceptPartialFailure === true },
        { parent: this },
      );
    }

    this.registerOutputs({ namespace: this.namespace });
  }
}

/** A Velero object declared directly, so the plan's manifests/ and `pulumi preview` show it field by field. */
function customResource(
  name: string,
  kind: "BackupStorageLocation" | "VolumeSnapshotLocation" | "Schedule" | "Restore",
  object: pulumi.Output<Record<string, unknown>>,
  opts: pulumi.CustomResourceOptions,
  outputsOnly: Record<string, undefined> = {},
): k8s.apiextensions.CustomResource {
  return new k8s.apiextensions.CustomResource(
    name,
    {
      apiVersion: "velero.io/v1",
      kind,
      metadata: object.apply((o) => o.metadata as k8s.types.input.meta.v1.ObjectMeta),
      spec: object.apply((o) => o.spec as Record<string, unknown>),
      ...outputsOnly,
    },
    opts,
  );
}
