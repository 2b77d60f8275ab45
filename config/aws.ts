import { z } from "zod";
import { cidrPrefix, cidrsOverlap } from "./cidr";
import { awsAvailabilityZone, awsRegion, awsVpcCidr, ipv4Cidr } from "./primitives";
import { replicaSiteSection } from "./awsReplicaSite";

/** The private IPv4 ranges (RFC 1918), where EKS requires the service CIDR to lie. */
const privateRanges = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

/** The control-plane log types EKS can send to CloudWatch. */
export const eksLogTypes = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/** Retention periods CloudWatch Logs accepts, in days. */
export const cloudWatchRetentionDays = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** EKS access policies an operator principal can get, by short name (see components/aws/cluster.ts). */
export const eksAccessPolicies = ["cluster-admin", "admin", "edit", "view"] as const;

const accessEntry = z
  .object({
    /** IAM role or user that gets into the cluster, e.g. arn:aws:iam::123456789012:role/platform-admins. */
    principalArn: z
      .string()
      .regex(
        /^arn:aws(-us-gov|-cn)?:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/,
        "must be the ARN of an IAM role or user such as arn:aws:iam::123456789012:role/platform-admins",
      ),
    /** EKS access policy: cluster-admin, admin, edit or view. */
    policy: z.enum(eksAccessPolicies).default("cluster-admin"),
    /** Limit the policy to these namespaces; empty means the whole cluster. */
    namespaces: z.array(z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a Kubernetes namespace name")).default([]),
  })
  .strict();

/** Amazon Web Services section of the stack config (`cloud: aws`). */
export const awsSection = z
  .object({
    /** Region of every resource of the stack, such as eu-west-1. */
    region: awsRegion,
    /** The three availability zones of the VPC; unset means the first three zones of the region that need no opt-in. */
    availabilityZones: z.array(awsAvailabilityZone).length(3, "must list exactly three availability zones").optional(),
    /** Tags put on every resource (besides the stack's own tags). */
    tags: z.record(z.string().min(1), z.string()).default({}),
    /** The VPC: its CIDR, the Kubernetes service range, NAT gateways, access to the Kubernetes API. */
    network: z
      .object({
        /** The VPC's CIDR (/16 to /20); nodes, load balancers and the database get subnets carved from it. */
        vpcCidr: awsVpcCidr.default("10.0.0.0/16"),
        /** Kubernetes service CIDR: a /12 to /24 inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16; must not overlap the VPC. */
        serviceCidr: ipv4Cidr
          .refine((cidr) => cidrPrefix(cidr) >= 12 && cidrPrefix(cidr) <= 24, "must be a /12 to /24 block")
          .refine(
            (cidr) => privateRanges.some((range) => cidrsOverlap(range, cidr) && cidrPrefix(cidr) >= cidrPrefix(range)),
            "must lie inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16 (EKS serviceIpv4Cidr)",
          )
          .default("172.20.0.0/16"),
        /** One NAT gateway per zone (survives a zone outage) or a single one (cheaper). Defaults to perZone in production. */
        natGateways: z.enum(["perZone", "single"]).optional(),
        /** Networks allowed to reach the public Kubernetes API endpoint. */
        apiPublicAccessCidrs: z.array(ipv4Cidr).min(1, "must list at least one CIDR").default(["0.0.0.0/0"]),
      })
      .strict()
      .refine((network) => !cidrsOverlap(network.vpcCidr, network.serviceCidr), {
        message: "must not overlap network.vpcCidr",
        path: ["serviceCidr"],
      })
      .prefault({}),
    /** The nodes' AMI: Canonical's Ubuntu EKS image found through SSM, or an explicit AMI id. */
    nodeImage: z
      .object({
        /** Ubuntu release of Canonical's EKS image. */
        ubuntuRelease: z.enum(["22.04", "24.04"]).default("24.04"),
        /** Canonical's image serial such as 20251015, or `current` (moves with every Canonical release and rolls the nodes). */
        serial: z.string().regex(/^(current|\d{8}(\.\d+)?)$/, "must be current or an image serial such as 20251015").default("current"),
        /** Full SSM parameter name of the AMI id, overriding the one derived from release, Kubernetes version and serial. */
        ssmParameter: z.string().regex(/^\/[\w./-]+$/, "must be an SSM parameter name such as /aws/service/...").optional(),
        /** An explicit AMI id (an Ubuntu EKS image); overrides the SSM lookup. */
        amiId: z.string().regex(/^ami-[0-9a-f]{8,17}$/, "must be an AMI id such as ami-0123456789abcdef0").optional(),
      })
      .strict()
      .refine((image) => !(image.amiId && image.ssmParameter), {
        message: "set either amiId or ssmParameter, not both",
        path: ["amiId"],
      })
      .prefault({}),
    /**
     * Operator principals that get EKS access entries (authentication mode API). The principal that creates the cluster
     * gets its own admin entry from EKS and must not be listed (EKS refuses a second entry for it); any other deployer
     * (the CI role, when someone else created the cluster) must be, with cluster-admin.
     */
    accessEntries: z
      .array(accessEntry)
      .refine((entries) => new Set(entries.map((e) => e.principalArn)).size === entries.length, "must list each principalArn once (EKS has one access entry per principal)")
      .default([]),
    /** Control-plane log types sent to CloudWatch. */
    controlPlaneLogs: z.array(z.enum(eksLogTypes)).default([...eksLogTypes]),
    /** Days CloudWatch keeps the control-plane logs. */
    controlPlaneLogRetentionDays: z
      .number()
      .refine((days) => (cloudWatchRetentionDays as readonly number[]).includes(days), {
        message: `must be one of the CloudWatch retention periods: ${cloudWatchRetentionDays.join(", ")}`,
      })
      .default(90),
    /** AWS CLI profile the kubeconfig's `aws eks get-token` uses; unset uses the ambient credentials. */
    kubeconfigProfile: z.string().min(1).optional(),
    /** Gitpod's object storage (workspace content). */
    objectStorage: z
      .object({
        /**
         * Use this existing S3 bucket in aws.region instead of creating one: after losing the primary region, the lost
         * stack's replica bucket (`<cluster>-objects-replica-...`) in the stack rebuilt there. The stack neither
         * creates, protects nor replicates it; Gitpod's key gets access to it. Not with backup.failover (no replica).
         */
        existingBucket: z
          .string()
          .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be an S3 bucket name such as gitpod-aws-prod-objects-replica-20261130")
          .optional(),
      })
      .strict()
      .prefault({}),
    /** Where the stack runs from backup.replicaRegion when backup.failover is on; every key has a derived default. */
    replicaSite: replicaSiteSection,
    /**
     * SNS topic ARNs the stack's CloudWatch alarms notify (S3 replication failures and delays, DNSSEC key problems);
     * empty leaves the alarms visible in CloudWatch only.
     */
    alarmActions: z
      .array(z.string().regex(/^arn:aws(-us-gov|-cn)?:sns:[a-z0-9-]+:\d{12}:[\w-]+$/, "must be an SNS topic ARN such as arn:aws:sns:eu-west-1:123456789012:ops"))
      .default([]),
  })
  .strict();

/** EBS volume types a node's root disk can have. */
export const ebsVolumeTypes = ["gp3", "gp2", "io2", "io1"] as const;

interface AwsSizedConfig {
  nodePools: Record<string, { machineType: string; diskType: string }>;
  database: { machineType: string };
}

/**
 * Rules on the shared sizing keys that only hold on AWS: EC2 instance types for the pools, EBS volume types for
 * their disks, RDS instance classes for the database. A value copied from another cloud's stack (pd-ssd,
 * n2d-standard-4, db-custom-2-7680) is rejected here instead of failing halfway through `pulumi up`.
 */
export function checkAwsSizes(config: AwsSizedConfig, ctx: z.RefinementCtx): void {
  for (const [role, pool] of Object.entries(config.nodePools)) {
    if (!/^[a-z][a-z0-9-]*\.[a-z0-9-]+$/.test(pool.machineType)) {
      ctx.addIssue({
        code: "custom",
        path: ["nodePools", role, "machineType"],
        input: pool.machineType,
        message: "must be an EC2 instance type such as m6i.xlarge",
      });
    }
    if (!(ebsVolumeTypes as readonly string[]).includes(pool.diskType)) {
      ctx.addIssue({
        code: "custom",
        path: ["nodePools", role, "diskType"],
        input: pool.diskType,
        message: `must be an EBS volume type: ${ebsVolumeTypes.join(", ")}`,
      });
    }
  }
  if (!/^db\.[a-z0-9-]+\.[a-z0-9-]+$/.test(config.database.machineType)) {
    ctx.addIssue({
      code: "custom",
      path: ["database", "machineType"],
      input: config.database.machineType,
      message: "must be an RDS instance class such as db.m6i.large",
    });
  }
}

/**
 * /28 prefixes a node with 110 pods takes from its subnet under VPC CNI prefix delegation: 7 for the pods, 1 warm
 * (WARM_PREFIX_TARGET), and about 1 more lost to its ENIs' primary addresses, which break up /28 blocks.
 */
const prefixesPerNode = 9;

/** Nodes the three private subnets (each an eighth of the VPC, components/aws/network.ts) can hold at 110 pods each. */
export function nodeCapacity(vpcCidr: string): number {
  const privateSubnetAddresses = 2 ** (32 - (cidrPrefix(vpcCidr) + 3));
  return 3 * Math.floor(privateSubnetAddresses / 16 / prefixesPerNode);
}

interface AwsCheckedConfig extends AwsSizedConfig {
  cluster: { kubernetesVersion: string };
  aws: { network: { vpcCidr: string } };
  nodePools: Record<string, { machineType: string; diskType: string; maxNodes: number }>;
}

/**
 * Rules of an AWS stack that span keys: the sizes (checkAwsSizes), a Kubernetes minor version (EKS takes `1.35`,
 * not a patch) and room in the VPC for the node pools' maxima. The backup lock's rules are config/backupLock.ts'.
 */
export function checkAwsConfig(config: AwsCheckedConfig, ctx: z.RefinementCtx): void {
  checkAwsSizes(config, ctx);
  const version = config.cluster.kubernetesVersion;
  if (!/^1\.\d{2}$/.test(version)) {
    ctx.addIssue({ code: "custom", path: ["cluster", "kubernetesVersion"], input: version, message: "must be a Kubernetes minor version such as 1.35 on EKS (EKS picks the patch)" });
  }
  const capacity = nodeCapacity(config.aws.network.vpcCidr);
  const wanted = Object.values(config.nodePools).reduce((sum, pool) => sum + pool.maxNodes, 0);
  if (wanted > capacity) {
    ctx.addIssue({
      code: "custom",
      path: ["aws", "network", "vpcCidr"],
      input: config.aws.network.vpcCidr,
      message: `has room for about ${capacity} nodes of 110 pods (VPC CNI prefix delegation), but the node pools may grow to ${wanted}: use a larger VPC (/16 holds 168) or lower nodePools.*.maxNodes`,
    });
  }
}
