import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument } from "./common";

/**
 * Key policy of the DNSSEC key-signing key: the account administers it, Route 53's DNSSEC service may use it for
 * this account's zones only (the conditions are what Route 53's documentation asks for against confused deputies).
 */
export function dnssecKeyPolicy(partition: string, accountId: string): string {
  const dnssecService = { Service: "dnssec-route53.amazonaws.com" };
  const sourceAccount = { StringEquals: { "aws:SourceAccount": accountId } };
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
      Condition: { ...sourceAccount, Bool: { "kms:GrantIsForAWSResource": true } },
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
    }
    this.registerOutputs({ zoneId: this.zoneId, nameServers: this.nameServers, dsRecord: this.dsRecord });
  }
}
