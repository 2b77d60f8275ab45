import * as aws from "../../providers/sdk/aws";
import { DnsZone, dnssecKeyPolicy } from "../../components/aws/dns";
import { Plan } from "../../scripts/plan/run";
import { onlyResource, resourcesOfType } from "../helpers";
import { json, planComponent } from "./fixtures";

function planZone(dnssec: boolean, protect = true): Promise<Plan> {
  return planComponent(() => {
    const global = new aws.Provider("global", { region: "us-east-1" });
    new DnsZone("dns", { domain: "gitpod.example.com", dnssec, accountId: "123456789012", partition: "aws", dnssecKeyProvider: global, protect, alarmActions: ["arn:aws:sns:us-east-1:123456789012:ops"] });
  });
}

describe("Route 53 zone", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await planZone(true);
  });

  it("is a public hosted zone for the domain, protected and never force-destroyed", () => {
    const zone = onlyResource(plan, "aws:route53/zone:Zone");
    expect(zone.inputs).toMatchObject({ name: "gitpod.example.com", forceDestroy: false });
    expect(zone.inputs.vpcs).toBeUndefined();
    expect(zone.options.protect).toBe(true);
  });

  it("signs the zone with DNSSEC using an ECC P-256 KMS key in us-east-1 that only Route 53 of this account may use", () => {
    const key = onlyResource(plan, "aws:kms/key:Key");
    expect(key.inputs).toMatchObject({ customerMasterKeySpec: "ECC_NIST_P256", keyUsage: "SIGN_VERIFY" });
    expect(key.provider).toBe(onlyResource(plan, "pulumi:providers:aws").urn);
    expect(onlyResource(plan, "pulumi:providers:aws").inputs.region).toBe("us-east-1");
    const statements = json(key, "policy").Statement;
    const route53 = statements.filter((s: any) => s.Principal.Service === "dnssec-route53.amazonaws.com");
    expect(route53).toHaveLength(2);
    // As AWS's example: SourceAccount and SourceArn on the signing statement, only GrantIsForAWSResource on CreateGrant.
    expect(route53[0].Condition).toEqual({
      StringEquals: { "aws:SourceAccount": "123456789012" },
      ArnLike: { "aws:SourceArn": "arn:aws:route53:::hostedzone/*" },
    });
    expect(route53[1]).toMatchObject({ Action: "kms:CreateGrant", Condition: { Bool: { "kms:GrantIsForAWSResource": true } } });
    expect(onlyResource(plan, "aws:route53/keySigningKey:KeySigningKey").inputs).toMatchObject({ status: "ACTIVE" });
    const signing = onlyResource(plan, "aws:route53/hostedZoneDnsSec:HostedZoneDnsSec");
    expect(signing.inputs.signingStatus).toBe("SIGNING");
    expect(signing.dependencies).toContain(onlyResource(plan, "aws:route53/keySigningKey:KeySigningKey").urn);
  });

  it("alarms in us-east-1 on DNSSEC signing failures and on key-signing keys that need action", () => {
    const alarms = resourcesOfType(plan, "aws:cloudwatch/metricAlarm:MetricAlarm");
    expect(alarms.map((a) => a.inputs.metricName).sort()).toEqual(["DNSSECInternalFailure", "DNSSECKeySigningKeysNeedingAction"]);
    for (const alarm of alarms) {
      expect(alarm.provider).toBe(onlyResource(plan, "pulumi:providers:aws").urn);
      expect(alarm.inputs).toMatchObject({ namespace: "AWS/Route53", dimensions: { HostedZoneId: expect.any(String) }, threshold: 0 });
      expect(alarm.inputs.alarmActions).toEqual(["arn:aws:sns:us-east-1:123456789012:ops"]);
    }
  });

  it("has no signing key when DNSSEC is off", async () => {
    const unsigned = await planZone(false, false);
    expect(resourcesOfType(unsigned, "aws:kms/key:Key")).toEqual([]);
    expect(resourcesOfType(unsigned, "aws:route53/hostedZoneDnsSec:HostedZoneDnsSec")).toEqual([]);
    expect(onlyResource(unsigned, "aws:route53/zone:Zone").options.protect).toBe(false);
  });

  it("lets the account administer the DNSSEC key in the stack's partition", () => {
    const policy = JSON.parse(dnssecKeyPolicy("aws-us-gov", "111122223333"));
    expect(policy.Statement[0].Principal).toEqual({ AWS: "arn:aws-us-gov:iam::111122223333:root" });
  });
});
