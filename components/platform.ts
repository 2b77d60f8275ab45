import * as pulumi from "@pulumi/pulumi";
// From its own module, not ../config: the policy pack imports this file, and Pulumi type-checks the pack at start-up.
import type { Cloud, PoolRole } from "../config/cloudDefaults";

/**
 * The contract between the two layers. Each cloud's top component returns a `Platform`; the Kubernetes layer
 * (components/kubernetes) takes this object and nothing else, so it never needs to know which cloud it runs on.
 * Every credential in here is a Pulumi secret.
 */
export interface Platform {
  /** The cloud the platform was built on, or `existing` for a cluster the operator brought (components/existing). */
  cloud: Cloud | "existing";
  /** The stack's domain, e.g. gitpod.example.com. */
  domain: string;
  clusterName: pulumi.Output<string>;
  /** Kubeconfig for the Kubernetes provider (secret). */
  kubeconfig: pulumi.Output<string>;
  /** The three node pools with the Gitpod labels they carry. */
  nodePools: NodePoolInfo[];
  /** Where containerd lives on the node image; Gitpod's ws-daemon mounts these paths. */
  containerRuntime: ContainerRuntime;
  database: DatabaseEndpoint;
  objectStorage: ObjectStorage;
  registry: ContainerRegistry;
  /** Where the stack mirrors Gitpod's images; unset where its registry cannot serve them to Gitpod (in-cluster). */
  imageMirror?: ImageMirror;
  dns: DnsInfo;
  /** For each in-cluster tool, what binds its service account to its cloud identity. */
  workloadIdentity: Record<InClusterTool, WorkloadBinding>;
  /** Velero's target: provider, plugin, bucket and locations. Filled by each cloud's backup component (backup.ts). */
  backup: BackupTarget;
  /** Region Gitpod reports in its metadata (installer `metadata.region`). */
  metadataRegion: string;
  /** Annotations the cloud's load balancer needs on Gitpod's proxy Service (AWS: a Network Load Balancer). */
  proxyLoadBalancerAnnotations?: Record<string, string>;
}

export interface NodePoolInfo {
  role: PoolRole;
  name: pulumi.Output<string>;
  labels: Record<string, string>;
}

export interface ContainerRuntime {
  /** containerd socket on the node, e.g. /run/containerd/containerd.sock. */
  socket: string;
  /** containerd's runtime v2 task directory for the k8s.io namespace. */
  runtimeDir: string;
}

/** How Gitpod reaches MySQL. The database is always named `gitpod`. */
export type DatabaseEndpoint =
  | {
      /** Any MySQL reachable by host and port from the cluster (RDS, Azure Database for MySQL, external). */
      kind: "external";
      host: pulumi.Output<string>;
      port: pulumi.Output<number>;
      username: pulumi.Output<string>;
      password: pulumi.Output<string>;
      database: string;
      /** PEM CA bundle of the server certificate, where the service publishes one. */
      caCertificate?: pulumi.Output<string>;
    }
  | { kind: "inCluster" };

/** What the installer's `objectStorage` block needs. */
export type ObjectStorage =
  | { kind: "gcs"; project: pulumi.Output<string>; region: string; serviceAccountKey: pulumi.Output<string> }
  | {
      kind: "s3";
      endpoint: string;
      region: string;
      bucket: pulumi.Output<string>;
      accessKeyId: pulumi.Output<string>;
      secretAccessKey: pulumi.Output<string>;
    }
  | { kind: "azure"; accountName: pulumi.Output<string>; accountKey: pulumi.Output<string> }
  | { kind: "inCluster" };

/** What the installer's `containerRegistry` block needs. */
export type ContainerRegistry =
  | {
      /** A registry Gitpod pushes workspace images to with a docker login. */
      kind: "external";
      /** Repository prefix, e.g. europe-west1-docker.pkg.dev/project/gitpod. */
      url: pulumi.Output<string>;
      /** Registry host the credentials are for. */
      server: pulumi.Output<string>;
      username: pulumi.Output<string>;
      password: pulumi.Output<string>;
    }
  | {
      /** Gitpod's in-cluster registry, storing its layers in a bucket. */
      kind: "inClusterS3";
      bucket: pulumi.Output<string>;
      region: string;
      endpoint: string;
      accessKeyId: pulumi.Output<string>;
      secretAccessKey: pulumi.Output<string>;
    }
  | { kind: "inCluster" };

/** A docker login (all three values are secrets where they are credentials). */
export interface RegistryLogin {
  server: pulumi.Output<string>;
  username: pulumi.Output<string>;
  password: pulumi.Output<string>;
}

/**
 * A mirror of Gitpod's images on the stack's registry (components/kubernetes/gitpod/mirror). The installer config's
 * `repository` points at it: kubelet pulls the workloads' images from it with the node's identity, and registry-facade
 * pulls supervisor, workspacekit, docker-up and the IDE images from it with the one credential it has, the Gitpod
 * registry's pull secret (gitpod 2022.11.3 registry-facade/daemonset.go). So the mirror must be readable either with
 * `registry`'s login (`pull: registryPullSecret`) or by anyone (`pull: anonymous`).
 */
export interface ImageMirror {
  /** Repository prefix, e.g. europe-west1-docker.pkg.dev/project/gitpod/mirror; images go to `<repository>/<path>`. */
  repository: pulumi.Output<string>;
  /** The login the copy Job pushes with (GCP and Azure: the one Gitpod's registry already has). */
  push: RegistryLogin;
  /** How Gitpod pulls from it (see above). */
  pull: "registryPullSecret" | "anonymous";
}

export interface DnsInfo {
  domain: string;
  /** The cloud's id of the zone. */
  zoneId: pulumi.Output<string>;
  /** Delegate the domain to these at the registrar. */
  nameServers: pulumi.Output<string[]>;
  /** The DS record to publish at the registrar when the zone is DNSSEC-signed and the cloud hands it over. */
  dsRecord?: pulumi.Output<string>;
  /** The `dns01` block of a cert-manager ACME solver for this cloud (cloudDNS, route53, azureDNS, ...). */
  acmeDns01Solver: pulumi.Output<Record<string, unknown>>;
  /**
   * Data of the Secret `acmeDns01CredentialsSecret` in cert-manager's namespace (secret), which the solver block
   * refers to by name: a DNS API token or key, for DNS services without workload identity. Clouds leave it unset.
   */
  acmeDns01Credentials?: pulumi.Output<Record<string, string>>;
  /**
   * Who signs Gitpod's certificate: `letsencrypt` (default; the issuer named by `certificates.issuer`, solving DNS-01
   * with the block above) or `selfSigned` (a private CA in the cluster, for test installs; no ACME issuers).
   */
  issuer?: "letsencrypt" | "selfSigned";
  /** external-dns settings for this cloud; unset where nothing in the cluster publishes records (the operator does). */
  externalDns?: ExternalDnsTarget;
}

/** The Secret (in cert-manager's namespace) holding `DnsInfo.acmeDns01Credentials`. */
export const acmeDns01CredentialsSecret = "acme-dns01-credentials";

export interface ExternalDnsTarget {
  /** external-dns provider name: google, aws, azure, ... */
  provider: string;
  /** Extra command-line arguments for the provider, e.g. --google-project=... */
  extraArgs: pulumi.Output<string[]>;
  /** Extra environment variables, e.g. AWS_DEFAULT_REGION. */
  env?: pulumi.Output<Record<string, string>>;
  /**
   * Files external-dns reads from /etc/kubernetes, by file name (Azure: azure.json with subscriptionId,
   * resourceGroup and useWorkloadIdentityExtension). Mounted read-only from a Secret; no static keys in here.
   */
  configFiles?: pulumi.Output<Record<string, string>>;
}

/** The in-cluster tools that act on the cloud, with the namespace and service account each runs as. */
export const inClusterTools = {
  certManager: { namespace: "cert-manager", serviceAccount: "cert-manager" },
  externalDns: { namespace: "external-dns", serviceAccount: "external-dns" },
  velero: { namespace: "velero", serviceAccount: "velero" },
} as const;
export type InClusterTool = keyof typeof inClusterTools;

export interface WorkloadBinding {
  /** Annotations for the tool's Kubernetes service account (e.g. iam.gke.io/gcp-service-account). */
  serviceAccountAnnotations: pulumi.Output<Record<string, string>>;
  /** Labels the tool's pods need (e.g. azure.workload.identity/use). */
  podLabels: Record<string, string>;
}

export interface BackupTarget {
  /** Velero provider name: gcp, aws, azure. */
  provider: string;
  /** Velero provider plugin image, pinned. */
  pluginImage: string;
  bucket: pulumi.Output<string>;
  /** BackupStorageLocation `config`. */
  config: pulumi.Output<Record<string, string>>;
  /** VolumeSnapshotLocation `config`. */
  snapshotConfig: pulumi.Output<Record<string, string>>;
  /**
   * The file Velero's plugin reads as its credentials (`credentials.secretContents.cloud`), as a secret. GCP and AWS
   * leave it unset and bind Velero through `workloadIdentity.velero`. Azure sets it although it holds no credential:
   * velero-plugin-for-microsoft-azure reads the subscription, the disks' resource group and the cloud from it even
   * with workload identity (the token comes from the federated identity). An S3-compatible store outside any cloud
   * would put its keys here.
   */
  credentialsFile?: pulumi.Output<string>;
  /**
   * The same backups, readable in the replica region while the primary region is down: a second BackupStorageLocation
   * (same provider, read-only) to restore from. AWS: the replica bucket in `backup.replicaRegion`; Azure: the account's
   * read-access secondary endpoint. Unset where the bucket itself fails over (GCS dual-region) or nothing replicates.
   */
  replica?: BackupReplica;
}

/** A read-only view of the backup target in the replica region (see BackupTarget.replica). */
export interface BackupReplica {
  bucket: pulumi.Output<string>;
  /** BackupStorageLocation `config` for it. */
  config: pulumi.Output<Record<string, string>>;
}

/** Node labels Gitpod's installer schedules by, for each pool role (Gitpod reference architecture). */
export const gitpodNodeLabels: Record<PoolRole, Record<string, string>> = {
  services: {
    "gitpod.io/workload_meta": "true",
    "gitpod.io/workload_ide": "true",
    "gitpod.io/workload_workspace_services": "true",
    "gitpod.io/workload_services": "true",
  },
  regularWorkspaces: { "gitpod.io/workload_workspace_regular": "true" },
  headlessWorkspaces: { "gitpod.io/workload_workspace_headless": "true" },
};

/** containerd paths of Ubuntu node images with containerd (GKE UBUNTU_CONTAINERD, EKS Ubuntu, AKS Ubuntu). */
export const ubuntuContainerd: ContainerRuntime = {
  socket: "/run/containerd/containerd.sock",
  runtimeDir: "/run/containerd/io.containerd.runtime.v2.task/k8s.io",
};
