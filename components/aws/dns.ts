import * as aws from "../../providers/sdk/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument } from "./common";

/**
 * Key policy of the DNSSEC key-signing key, as AWS's example has it (Route 53 DG "Configuring DNSSEC signing",
 * @pulumi/aws route53.KeySigningKey): the account administers it; Route 53's DNSSEC service may describe, read and
 * sign with it for this account's hosted zones (aws:SourceAccount and aws:SourceArn), and create grants only for AWS
 * resources (kms:GrantIsForAWSResource, without a SourceAccount condition that AWS's example does not put there).
 */
export function dnssecKeyPolicy(partition: string, accountId: string): string {
  const dnssecService = { Service: "dnssec-route53.amazonaws.com" };
  const sourceAccount = {
    StringEquals: { "aws:SourceAccount": accountId },
    ArnLike: { "aws:SourceArn": `arn:${partition}:route53:::hostedzone/*` },
  };
  return policyDocument([
    { Sid: "AccountAdministers", Effect: "Allow", Principal: { AWS: `arn:${partition}:iam::${accountId}:root` }, Action: "kms:*", Resource: "*" },
    {
      Sid: "Route53DnssecUse",
      Effect: "Allow",
      Principal: dnssecService,
      Action: ["kms:DescribeKey", "kms:GetPublicKey", "kms:Sign"],
      Resource: "*",
      Condition: sourceAccount,
    },
    {
      Sid: "Route53DnssecGrant",
      Effect: "Allow",
      Principal: dnssecService,
      Action: "kms:CreateGrant",
      Resource: "*",
      Condition: { Bool: { "kms:GrantIsForAWSResource": true } },
    },
  ]);
}

export interface DnsZoneArgs {
  /** The stack's domain; the zone is authoritative for it. */
  domain: string;
  /** Sign the zone with DNSSEC. */
  dnssec: boolean;
  /** Account id (DNSSEC key policy). */
  accountId: pulumi.Input<string>;
  /** ARN partition. */
  partition: string;
  /** Provider in Route 53's home region, where the DNSSEC key must live. */
  dnssecKeyProvider: pulumi.ProviderResource;
  /** Protect the zone from deletion. */
  protect: boolean;
  /** SNS topics the DNSSEC alarms notify. */
  alarmActions: string[];
}

/**
 * The DNSSEC alarms Route 53 recommends (DG "Configuring DNSSEC signing", step "monitor"): an internal signing failure
 * or a key-signing key that needs action (its KMS key disabled, deleted or its policy broken) leaves the zone
 * unverifiable for validating resolvers, which then treat the domain as bogus. Route 53 publishes these metrics in
 * us-east-1 (namespace AWS/Route53, dimension HostedZoneId).
 */
export function dnssecAlarms(hostedZoneId: pulumi.Input<string>, alarmActions: string[]): Record<string, aws.cloudwatch.MetricAlarmArgs> {
  const common = {
    namespace: "AWS/Route53",
    dimensions: { HostedZoneId: hostedZoneId },
    statistic: "Sum",
    period: 300,
    evaluationPeriods: 1,
    comparisonOperator: "GreaterThanThreshold",
    threshold: 0,
    treatMissingData: "notBreaching",
    alarmActions,
    okActions: alarmActions,
  };
  return {
    "internal-failure": { ...common, metricName: "DNSSECInternalFailure", alarmDescription: "Route 53 cannot sign the zone (DNSSEC internal failure)" },
    "ksk-action": { ...common, metricName: "DNSSECKeySigningKeysNeedingAction", alarmDescription: "A DNSSEC key-signing key needs action (KMS key or policy)" },
  };
}

/** The public Route 53 hosted zone of the stack's domain, DNSSEC-signed when the config says so. */
export class DnsZone extends pulumi.ComponentResource {
  readonly zone: aws.route53.Zone;
  readonly zoneId: pulumi.Output<string>;
  readonly nameServers: pulumi.Output<string[]>;
  /** The DS record to publish at the parent zone (registrar), when signed. */
  readonly dsRecord?: pulumi.Output<string>;

  constructor(name: string, args: DnsZoneArgs, opts?: pulumi.ComponentResourceOptions) {
    super("gitpod:aws:DnsZone", name, {}, opts);
    this.zone = new aws.route53.Zone(
      `${name}-zone`,
      { name: args.domain, comment: `Gitpod ${args.domain} (managed by Pulumi)`, forceDestroy: false },
      { parent: this, protect: args.protect },
    );
    this.zoneId = this.zone.zoneId;
    this.nameServers = this.zone.nameServers;

    if (args.dnssec) {
      const key = new aws.kms.Key(
        `${name}-dnssec`,
        {
          description: `DNSSEC key-signing key of ${args.domain}`,
          customerMasterKeySpec: "ECC_NIST_P256",
          keyUsage: "SIGN_VERIFY",
          deletionWindowInDays: 30,
          policy: pulumi.output(args.accountId).apply((accountId) => dnssecKeyPolicy(args.partition, accountId)),
        },
        { parent: this, provider: args.dnssecKeyProvider, protect: args.protect },
      );
      const ksk = new aws.route53.KeySigningKey(
        `${name}-ksk`,
        { hostedZoneId: this.zone.zoneId, keyManagementServiceArn: key.arn, name: "gitpod", status: "ACTIVE" },
        { parent: this },
      );
      new aws.route53.HostedZoneDnsSec(
        `${name}-dnssec`,
        { hostedZoneId: ksk.hostedZoneId, signingStatus: "SIGNING" },
        { parent: this, dependsOn: [ksk] },
      );
      this.dsRecord = ksk.dsRecord;
      for (const [kind, alarm] of Object.entries(dnssecAlarms(this.zone.zoneId, args.alarmActions))) {
        new aws.cloudwatch.MetricAlarm(`${name}-dnssec-${kind}`, alarm, { parent: this, provider: args.dnssecKeyProvider });
      }
    }
    this.registerOutputs({ zoneId: this.zoneId, nameServers: this.nameServers, dsRecord: this.dsRecord });
  }
}
