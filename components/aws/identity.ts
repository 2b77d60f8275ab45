import * as aws from "../../providers/sdk/aws";
import * as pulumi from "@pulumi/pulumi";
import { InClusterTool, inClusterTools, WorkloadBinding } from "../platform";
import { managedPolicyArn, policyDocument } from "./common";

/** The annotation that binds a Kubernetes service account to an IAM role (IRSA). */
export const irsaAnnotation = "eks.amazonaws.com/role-arn";

/** The issuer URL without scheme, as IAM condition keys name it: oidc.eks.<region>.amazonaws.com/id/<id>. */
export function issuerHostPath(issuerUrl: string): string {
  return issuerUrl.replace(/^https:\/\//, "");
}

/**
 * Trust policy of an IRSA role: only tokens the cluster's OIDC provider issued for exactly this service account
 * (subject) and for STS (audience) may assume it.
 */
export function irsaTrustPolicy(providerArn: string, issuerUrl: string, namespace: string, serviceAccount: string): string {
  const issuer = issuerHostPath(issuerUrl);
  return policyDocument([
    {
      Effect: "Allow",
      Principal: { Federated: providerArn },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: {
        StringEquals: {
          [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
          [`${issuer}:aud`]: "sts.amazonaws.com",
        },
      },
    },
  ]);
}

/** ARN of a Route 53 hosted zone. */
export function hostedZoneArn(partition: string, zoneId: string): string {
  return `arn:${partition}:route53:::hostedzone/${zoneId}`;
}

/**
 * cert-manager's DNS-01 solver: it may only create and delete TXT records, and only the `_acme-challenge` names of
 * the stack's domain, in the stack's zone; it may read the zone and poll its own changes.
 */
export function certManagerPolicy(partition: string, zoneId: string, domain: string): string {
  return policyDocument([
    { Sid: "PollChanges", Effect: "Allow", Action: "route53:GetChange", Resource: `arn:${partition}:route53:::change/*` },
    {
      Sid: "ChallengeRecordsOnly",
      Effect: "Allow",
      Action: "route53:ChangeResourceRecordSets",
      Resource: hostedZoneArn(partition, zoneId),
      Condition: {
        "ForAllValues:StringEquals": { "route53:ChangeResourceRecordSetsRecordTypes": ["TXT"] },
        "ForAllValues:StringLike": {
          "route53:ChangeResourceRecordSetsNormalizedRecordNames": [`_acme-challenge.${domain}`, `_acme-challenge.*.${domain}`],
        },
      },
    },
    { Sid: "ReadZone", Effect: "Allow", Action: "route53:ListResourceRecordSets", Resource: hostedZoneArn(partition, zoneId) },
    { Sid: "FindZone", Effect: "Allow", Action: "route53:ListHostedZonesByName", Resource: "*" },
  ]);
}

/** external-dns: manage A, AAAA, CNAME and TXT (its ownership registry) records in the stack's zone only. */
export function externalDnsPolicy(partition: string, zoneId: string): string {
  return policyDocument([
    {
      Sid: "ManageRecords",
      Effect: "Allow",
      Action: "route53:ChangeResourceRecordSets",
      Resource: hostedZoneArn(partition, zoneId),
      Condition: {
        "ForAllValues:StringEquals": { "route53:ChangeResourceRecordSetsRecordTypes": ["A", "AAAA", "CNAME", "TXT"] },
      },
    },
    {
      Sid: "ReadZone",
      Effect: "Allow",
      Action: ["route53:ListResourceRecordSets", "route53:ListTagsForResource"],
      Resource: hostedZoneArn(partition, zoneId),
    },
    { Sid: "ListZones", Effect: "Allow", Action: ["route53:ListHostedZones", "route53:ListTagsForResources"], Resource: "*" },
  ]);
}

/**
 * Velero's EBS volume snapshots (the velero-plugin-for-aws permissions). Bucket access is granted by the backup
 * layer, which owns the backup bucket, through a policy on this role.
 */
export function veleroSnapshotPolicy(): string {
  return policyDocument([
    {
      Sid: "VolumeSnapshots",
      Effect: "Allow",
      Action: [
        "ec2:DescribeVolumes",
        "ec2:DescribeSnapshots",
        "ec2:CreateTags",
        "ec2:CreateVolume",
        "ec2:CreateSnapshot",
        "ec2:DeleteSnapshot",
      ],
      Resource: "*",
    },
  ]);
}

export interface IrsaRoleArgs {
  /** ARN of the cluster's IAM OIDC provider. */
  oidcProviderArn: pulumi.Input<string>;
  /** Issuer URL of the cluster (https://oidc.eks.<region>.amazonaws.com/id/<id>). */
  oidcIssuerUrl: pulumi.Input<string>;
  /** Namespace of the service account. */
  namespace: string;
  /** Name of the service account; only it can assume the role. */
  serviceAccount: string;
  /** Inline policy (JSON) with what the workload may do. */
  policy?: pulumi.Input<string>;
  /** AWS managed policies to attach, by name (e.g. AmazonEKS_CNI_Policy). */
  managedPolicies?: string[];
  /** ARN partition for the managed policies. */
  partition: string;
}

/** An IAM role for one Kubernetes service account (IAM Roles for Service Accounts). */
export class IrsaRole extends pulumi.ComponentResource {
  readonly role: aws.iam.Role;
  readonly arn: pulumi.Output<string>;

  constructor(name: string, args: IrsaRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:aws:IrsaRole", name, {}, opts);
    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `IRSA role of ${args.namespace}/${args.serviceAccount}`,
        assumeRolePolicy: pulumi
          .all([args.oidcProviderArn, args.oidcIssuerUrl])
          .apply(([arn, issuer]) => irsaTrustPolicy(arn, issuer, args.namespace, args.serviceAccount)),
      },
      { parent: this },
    );
    if (args.policy !== undefined) {
      new aws.iam.RolePolicy(`${name}-policy`, { role: this.role.name, policy: args.policy }, { parent: this });
    }
    for (const policy of args.managedPolicies ?? []) {
      new aws.iam.RolePolicyAttachment(
        `${name}-${policy.split("/").pop()}`,
        { role: this.role.name, policyArn: managedPolicyArn(args.partition, policy) },
        { parent: this },
      );
    }
    this.arn = this.role.arn;
    this.registerOutputs({ arn: this.arn });
  }
}

export interface WorkloadIdentitiesArgs {
  /** ARN of the cluster's IAM OIDC provider. */
  oidcProviderArn: pulumi.Input<string>;
  /** Issuer URL of the cluster. */
  oidcIssuerUrl: pulumi.Input<string>;
  /** Route 53 zone id the DNS tools may change. */
  zoneId: pulumi.Input<string>;
  /** The stack's domain (cert-manager may only write its _acme-challenge records). */
  domain: string;
  /** ARN partition of the stack's region. */
  partition: string;
}

/** IRSA roles of the in-cluster tools (cert-manager, external-dns, Velero), each trusting only its own service account. */
export class WorkloadIdentities extends pulumi.ComponentResource {
  readonly roles: Record<InClusterTool, IrsaRole>;
  readonly bindings: Record<InClusterTool, WorkloadBinding>;

  constructor(name: string, args: WorkloadIdentitiesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:aws:WorkloadIdentities", name, {}, opts);
    const common = { oidcProviderArn: args.oidcProviderArn, oidcIssuerUrl: args.oidcIssuerUrl, partition: args.partition };
    const policies: Record<InClusterTool, pulumi.Input<string>> = {
      certManager: pulumi.output(args.zoneId).apply((zoneId) => certManagerPolicy(args.partition, zoneId, args.domain)),
      externalDns: pulumi.output(args.zoneId).apply((zoneId) => externalDnsPolicy(args.partition, zoneId)),
      velero: veleroSnapshotPolicy(),
    };
    const names: Record<InClusterTool, string> = { certManager: "cert-manager", externalDns: "external-dns", velero: "velero" };
    const roles = {} as Record<InClusterTool, IrsaRole>;
    const bindings = {} as Record<InClusterTool, WorkloadBinding>;
    for (const tool of Object.keys(inClusterTools) as InClusterTool[]) {
      const { namespace, serviceAccount } = inClusterTools[tool];
      roles[tool] = new IrsaRole(
        `${name}-${names[tool]}`,
        { ...common, namespace, serviceAccount, policy: policies[tool] },
        { parent: this },
      );
      bindings[tool] = {
        serviceAccountAnnotations: roles[tool].arn.apply((arn): Record<string, string> => ({ [irsaAnnotation]: arn })),
        podLabels: {},
      };
    }
    this.roles = roles;
    this.bindings = bindings;
    this.registerOutputs({ roleArns: Object.fromEntries(Object.entries(roles).map(([tool, role]) => [tool, role.arn])) });
  }
}
