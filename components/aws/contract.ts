import * as pulumi from "@pulumi/pulumi";
import { BackupTarget, ImageMirror, Platform, ubuntuContainerd } from "../platform";
import { EksCluster } from "./cluster";
import { Database } from "./database";
import { DnsZone } from "./dns";
import { WorkloadIdentities } from "./identity";
import { BucketCredentials, s3Endpoint } from "./storage";

/** A bucket Gitpod uses and the key it uses it with. */
export interface BucketAccess {
  bucket: pulumi.Output<string>;
  credentials: BucketCredentials;
}

export interface AwsContractParts {
  domain: string;
  region: string;
  cluster: EksCluster;
  /** The kubeconfig that carries what must be ready before workloads (node groups, network add-ons, Calico). */
  kubeconfig: pulumi.Output<string>;
  database: Database;
  /** Gitpod's object storage, in `region`. */
  objectStorage: BucketAccess;
  /** The in-cluster registry's bucket, in `region`. */
  registry: BucketAccess;
  dns: DnsZone;
  identities: WorkloadIdentities;
  backup: BackupTarget;
  /** The ECR Public mirror of Gitpod's images, when the stack uses one. */
  imageMirror?: ImageMirror;
}

/** The Platform contract of an AWS stack, from the parts AwsPlatform built. */
export function awsPlatformContract(parts: AwsContractParts): Platform {
  const { cluster, database, objectStorage, registry, dns, region, domain } = parts;
  const endpoint = s3Endpoint(region);
  const roles = Object.keys(cluster.nodeGroups) as (keyof typeof cluster.nodeGroups)[];
  return {
    cloud: "aws",
    domain,
    clusterName: cluster.name,
    kubeconfig: parts.kubeconfig,
    nodePools: roles.map((role) => ({ role, name: cluster.nodeGroups[role].nodeGroup.nodeGroupName, labels: cluster.nodeGroups[role].labels })),
    containerRuntime: ubuntuContainerd,
    database: {
      kind: "external",
      host: database.host,
      port: database.port,
      username: database.username,
      password: database.password,
      database: "gitpod",
      caCertificate: database.caCertificate,
    },
    objectStorage: {
      kind: "s3",
      endpoint,
      region,
      bucket: objectStorage.bucket,
      accessKeyId: objectStorage.credentials.accessKeyId,
      secretAccessKey: objectStorage.credentials.secretAccessKey,
    },
    registry: {
      kind: "inClusterS3",
      bucket: registry.bucket,
      region,
      endpoint,
      accessKeyId: registry.credentials.accessKeyId,
      secretAccessKey: registry.credentials.secretAccessKey,
    },
    dns: {
      domain,
      zoneId: dns.zoneId,
      nameServers: dns.nameServers,
      dsRecord: dns.dsRecord,
      acmeDns01Solver: dns.zoneId.apply((zoneId): Record<string, unknown> => ({ route53: { region, hostedZoneID: zoneId } })),
      externalDns: {
        provider: "aws",
        extraArgs: dns.zoneId.apply((zoneId) => ["--aws-zone-type=public", `--zone-id-filter=${zoneId}`]),
        env: pulumi.output<Record<string, string>>({ AWS_DEFAULT_REGION: region }),
      },
    },
    imageMirror: parts.imageMirror,
    workloadIdentity: parts.identities.bindings,
    backup: parts.backup,
    metadataRegion: region,
    proxyLoadBalancerAnnotations: proxyNetworkLoadBalancer,
  };
}

/**
 * Gitpod's proxy behind a Network Load Balancer instead of the Classic Load Balancer EKS's service controller makes by
 * default (cloud-provider-aws `service.beta.kubernetes.io/aws-load-balancer-type`): layer 4, TLS stays with Gitpod's
 * proxy, a 350 s TCP idle timeout instead of the CLB's 60 s that cuts idle IDE and SSH connections. The proxy Service
 * also lists the metrics port 9500 (installer proxy/service.go), so the NLB gets a listener for it, but Gitpod's
 * NetworkPolicy `proxy-deny-all-allow-explicit`, which Calico enforces, admits 9500 only from the monitoring
 * namespace's pods: a connection through the load balancer is refused at the pod.
 */
export const proxyNetworkLoadBalancer: Record<string, string> = { "service.beta.kubernetes.io/aws-load-balancer-type": "nlb" };
