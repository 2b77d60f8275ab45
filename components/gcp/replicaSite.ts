import * as gcp from "../../providers/sdk/gcp";
import * as pulumi from "@pulumi/pulumi";
import { StackConfig } from "../../config";
import { cidrsOverlap } from "../../config/cidr";
import { gkeReleaseChannelOf } from "../../config/gcp";
import { GcpReplicaSite as ReplicaSiteConfig, siteRangeKeys } from "../../config/gcpReplicaSite";
import { Platform } from "../platform";
import { GkeCluster } from "./cluster";
import { cloudSqlEndpoint } from "./database";
import { DatabaseDns } from "./databaseDns";
import { ClusterSecretsKey } from "./kms";
import { resourceName } from "./naming";
import { privateServicesPrefix } from "./network";
import { ArtifactRegistry, RegistryWriter } from "./registry";
import { clusterSubnet } from "./subnet";

export interface GcpReplicaSiteArgs {
  config: Extract<StackConfig, { cloud: "gcp" }>;
  /** Name of the stack, for project-wide names. */
  stack: string;
  /** gcp.replicaSite with its defaults (config/gcpReplicaSite.ts). */
  site: ReplicaSiteConfig;
  /** The stack's VPC (global) and the private services access range Google allocated in it. */
  networkId: pulumi.Input<string>;
  privateServicesRange: gcp.compute.GlobalAddress;
  /** The primary cluster's node service account: global, with project-wide roles. */
  nodeAccount: gcp.serviceaccount.Account;
  /** The image builder's account and key (global), granted on the site's repository. */
  registryWriter: RegistryWriter;
  /** The promoted cross-region replica and the `gitpod` user's login, which replicated with it. */
  database: gcp.sql.DatabaseInstance;
  login: { username: pulumi.Output<string>; password: pulumi.Output<string> };
}

/** What the replica site replaces in the Platform; storage, DNS, identities and backups are global and stay. */
export type ReplicaSitePlatform = Pick<Platform, "clusterName" | "kubeconfig" | "nodePools" | "database" | "registry" | "imageMirror">;

/**
 * Where the stack runs once its region is lost (`backup.failover`), built in `backup.replicaRegion` beside nothing of
 * the lost region: the VPC is global, so the site is a subnet of it (with its own Cloud Router and NAT: both are
 * regional), a GKE cluster with the three pools under another name (so the Kubernetes layer is created anew on it),
 * a Secrets key and an Artifact Registry repository in the region (both are regional; the image builder's global
 * account writes to it), and a private DNS name for the promoted Cloud SQL replica, which sits on the VPC's private
 * services access like the primary did. Workload identity needs nothing new: its pool and bindings are the
 * project's (`<project>.svc.id.goog[namespace/ksa]`), whichever cluster the service account runs in.
 */
export class GcpReplicaSite extends pulumi.ComponentResource {
  readonly platform: ReplicaSitePlatform;

  constructor(name: string, args: GcpReplicaSiteArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:gcp:ReplicaSite", name, {}, opts);
    const { config, site, stack } = args;
    const { project } = config.gcp;
    const net = checkedAgainstPrivateServices(site, args.privateServicesRange);
    const subnet = clusterSubnet(
      `${name}-network`,
      { networkId: args.networkId, region: site.region, nodesCidr: net.nodesCidr, podsCidr: site.network.podsCidr, servicesCidr: site.network.servicesCidr, privateNodes: config.gcp.network.privateNodes },
      { parent: this },
    );
    const secretsKey = config.gcp.secretsEncryption
      ? new ClusterSecretsKey(`${name}-kms`, { project, region: site.region, protect: config.protect, stack }, { parent: this })
      : undefined;
    const cluster = new GkeCluster(
      `${name}-cluster`,
      {
        project,
        region: site.region,
        zones: site.zones,
        clusterName: replicaClusterName(stack, site.region),
        kubernetesVersion: config.cluster.kubernetesVersion,
        releaseChannel: gkeReleaseChannelOf(config),
        nodeVersion: config.gcp.nodeVersion,
        networkId: args.networkId,
        subnetId: subnet.id,
        privateNodes: config.gcp.network.privateNodes,
        masterCidr: site.network.masterCidr,
        masterAuthorizedNetworks: config.gcp.network.masterAuthorizedNetworks,
        nodePools: config.nodePools,
        deletionProtection: config.protect,
        secretsKey: secretsKey?.keyName,
        stack,
        nodeAccount: args.nodeAccount,
      },
      { parent: this },
    );
    const registry = new ArtifactRegistry(
      `${name}-registry`,
      { project, region: site.region, protect: config.protect, stack, writer: args.registryWriter },
      { parent: this },
    );
    const dns = new DatabaseDns(
      `${name}-database-dns`,
      { networkId: args.networkId, instance: args.database, stack, protect: config.protect, zoneName: resourceName(stack, `sql-private-${site.region}`) },
      { parent: this },
    );
    this.platform = {
      clusterName: cluster.cluster.name,
      kubeconfig: cluster.kubeconfig,
      nodePools: cluster.nodePools,
      database: cloudSqlEndpoint(args.database, dns.host, args.login),
      registry: registry.registry,
      imageMirror: registry.imageMirror,
    };
    this.registerOutputs({ clusterName: this.platform.clusterName });
  }
}

/** The replica cluster's GKE name: another than the primary's, within GKE's 40 characters. Pure. */
export function replicaClusterName(stack: string, region: string): string {
  return resourceName(stack, `gke-${region}`, 40);
}

/**
 * What is wrong with the site's ranges given the private services access range (`address/prefix`), or undefined. Google
 * chose that range when the VPC was built, so only the deployment knows it. Pure.
 */
export function privateServicesClash(site: ReplicaSiteConfig, reserved: string): string | undefined {
  const key = siteRangeKeys.find((k) => cidrsOverlap(site.network[k], reserved));
  if (key === undefined) return undefined;
  return `gcp.replicaSite.network.${key} ${site.network[key]} overlaps the VPC's private services access range ${reserved} (Cloud SQL's private IPs); set gcp.replicaSite.network.${key} to a free range`;
}

/** The site's node range, known once no site range overlaps the private services range: a clash stops `pulumi up` before the subnet. */
function checkedAgainstPrivateServices(site: ReplicaSiteConfig, range: gcp.compute.GlobalAddress): { nodesCidr: pulumi.Output<string> } {
  const nodesCidr = pulumi.all([range.address, range.prefixLength]).apply(([address, prefix]) => {
    const clash = privateServicesClash(site, `${address}/${prefix ?? privateServicesPrefix}`);
    if (clash !== undefined) throw new Error(clash);
    return site.network.nodesCidr;
  });
  return { nodesCidr };
}
