import * as pulumi from "@pulumi/pulumi";
import { StackConfig } from "../../config";
import { gcsMultiRegionOf } from "../../config/backup";
import { gkeReleaseChannelOf } from "../../config/gcp";
import { replicaSiteOf } from "../../config/gcpReplicaSite";
import { bucketLockOf } from "../../config/backupLock";
import { gcpProvider } from "../../providers/gcp";
import { Platform, ubuntuContainerd } from "../platform";
import { ProjectApis } from "./apis";
import { GcpAlerts } from "./alerts";
import { GcpBackup } from "./backup";
import { GkeCluster } from "./cluster";
import { CloudSqlDatabase } from "./database";
import { CloudDns } from "./dns";
import { ClusterSecretsKey } from "./kms";
import { WorkloadIdentities } from "./identity";
import { GcpNetwork } from "./network";
import { keyCreationPreflight } from "./orgPolicy";
import { ArtifactRegistry } from "./registry";
import { GcpReplicaSite } from "./replicaSite";
import { GitpodStorage } from "./storage";

export interface GcpPlatformArgs {
  /** The validated stack config of a `cloud: gcp` stack. */
  config: Extract<StackConfig, { cloud: "gcp" }>;
}

/**
 * Gitpod's single-cluster reference architecture on Google Cloud: network, GKE with three pools, Cloud SQL,
 * object storage identity, Artifact Registry, Cloud DNS and workload identities, returned as the Platform.
 */
export class GcpPlatform extends pulumi.ComponentResource {
  readonly platform: Platform;

  constructor(name: string, args: GcpPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:gcp:Platform", name, {}, opts);
    const { config } = args;
    const { project, region, network: net } = config.gcp;
    const labels = { app: "gitpod", "gitpod-stack": name, "managed-by": "pulumi" };
    // With a replica region, backups and Gitpod's buckets go to the multi-region both regions belong to (EU, US, ASIA).
    // (GCS locations are case-insensitive; lowercase is what the installer precondition expects of metadata.region.)
    const multiRegion = config.backup.replicaRegion ? gcsMultiRegionOf(region)?.toLowerCase() : undefined;
    // The region is lost: the stack runs from backup.replicaRegion (additive: nothing declared for the region changes).
    const failoverSite = config.backup.failover ? replicaSiteOf(config) : undefined;
    // The APIs come first, through a provider of their own; the provider every other resource uses depends on
    // them, so nothing is created before its API is on (a component's dependsOn would not reach its children).
    const apisProvider = gcpProvider(`${name}-gcp-apis`, { project, region, labels }, { parent: this });
    const apis = new ProjectApis(`${name}-apis`, { project }, { parent: this, providers: [apisProvider] });
    const provider = gcpProvider(`${name}-gcp`, { project, region, labels }, { parent: this, dependsOn: apis.services });
    const child = { parent: this, providers: [provider] };

    const network = new GcpNetwork(
      `${name}-network`,
      { region, nodesCidr: net.nodesCidr, podsCidr: net.podsCidr, servicesCidr: net.servicesCidr, privateNodes: net.privateNodes },
      child,
    );
    const secretsKey = config.gcp.secretsEncryption
      ? new ClusterSecretsKey(`${name}-kms`, { project, region, protect: config.protect, stack: name }, child)
      : undefined;
    const cluster = new GkeCluster(
      `${name}-cluster`,
      {
        project,
        region,
        zones: config.gcp.zones,
        kubernetesVersion: config.cluster.kubernetesVersion,
        releaseChannel: gkeReleaseChannelOf(config),
        nodeVersion: config.gcp.nodeVersion,
        networkId: network.network.id,
        subnetId: network.subnet.id,
        privateNodes: net.privateNodes,
        masterCidr: net.masterCidr,
        masterAuthorizedNetworks: net.masterAuthorizedNetworks,
        nodePools: config.nodePools,
        deletionProtection: config.protect,
        secretsKey: secretsKey?.keyName,
        stack: name,
      },
      child,
    );
    const database = new CloudSqlDatabase(
      `${name}-database`,
      {
        project,
        region,
        networkId: network.privateServicesNetworkId,
        database: config.database,
        protect: config.protect,
        stack: name,
        backupLocation: multiRegion,
      },
      child,
    );
    const keyPolicy = { rotation: config.gcp.keyRotation, preflight: keyCreationPreflight(project, { parent: this, provider }) };
    // Gitpod's per-user buckets in the multi-region survive the loss of either region.
    const storageLocation = multiRegion ?? region;
    const storage = new GitpodStorage(`${name}-storage`, { project, location: storageLocation, stack: name, keyPolicy }, child);
    const registry = new ArtifactRegistry(`${name}-registry`, { project, region, protect: config.protect, stack: name, writer: { keyPolicy } }, child);
    const dns = new CloudDns(
      `${name}-dns`,
      { project, domain: config.domain, dnssec: config.dns.dnssec, protect: config.protect, stack: name },
      child,
    );
    const identities = new WorkloadIdentities(`${name}-identity`, { project, stack: name, cluster: cluster.cluster, dnsZone: dns.zone.name }, child);
    const backup = new GcpBackup(
      `${name}-backup`,
      {
        project,
        region,
        replicaRegion: config.backup.replicaRegion,
        stack: name,
        noncurrentVersionDays: config.backup.noncurrentVersionDays,
        softDeleteDays: config.backup.softDeleteDays,
        retention: retentionOf(config.backup),
        veleroAccount: identities.accounts.velero,
        protect: config.protect,
        databaseReplica: config.backup.databaseReplica
          ? { primary: database.instance, database: config.database, networkId: network.privateServicesNetworkId, backupLocation: multiRegion, promote: failoverSite !== undefined }
          : undefined,
      },
      child,
    );

    if (config.environment === "production") {
      new GcpAlerts(
        `${name}-alerts`,
        { project, emails: config.gcp.alertEmails, databaseReplica: backup.databaseReplica, replicaLagSeconds: 300 },
        child,
      );
    }

    const replica =
      failoverSite &&
      new GcpReplicaSite(
        `${name}-replica`,
        {
          config,
          stack: name,
          site: failoverSite,
          networkId: network.network.id,
          privateServicesRange: network.privateServicesRange,
          nodeAccount: cluster.nodeAccount,
          registryWriter: registry.writer,
          database: promotedReplica(backup.databaseReplica),
          login: database.login,
        },
        child,
      );

    this.platform = {
      cloud: "gcp",
      domain: config.domain,
      clusterName: cluster.cluster.name,
      kubeconfig: cluster.kubeconfig,
      nodePools: cluster.nodePools,
      containerRuntime: ubuntuContainerd,
      database: database.endpoint,
      objectStorage: storage.objectStorage,
      registry: registry.registry,
      imageMirror: registry.imageMirror,
      dns: dns.dns,
      workloadIdentity: identities.bindings,
      backup: backup.target,
      // Gitpod 2022.11 takes its buckets' location from metadata.region (installer common/storage.go).
      metadataRegion: storageLocation,
      // After a region loss: the replica site's cluster, registry and database; storage, DNS, identities and the
      // dual-region backup bucket are global and stay.
      ...replica?.platform,
    };
    this.registerOutputs({ clusterName: this.platform.clusterName });
  }
}

/** The backup bucket's retention policy (`backup.lockDays`; locked in `backup.lockMode` compliance), or undefined. */
function retentionOf(backup: GcpPlatformArgs["config"]["backup"]): { days: number; locked: boolean } | undefined {
  const lock = bucketLockOf(backup);
  return lock && { days: lock.days, locked: lock.mode === "compliance" };
}

/** The replica the failover promotes; config requires backup.databaseReplica with backup.failover (config/gcp.ts). */
function promotedReplica(replica: GcpBackup["databaseReplica"]): NonNullable<GcpBackup["databaseReplica"]> {
  if (replica === undefined) throw new Error("backup.failover on gcp needs backup.databaseReplica");
  return replica;
}
