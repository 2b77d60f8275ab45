import {
  certManagerPolicy,
  externalDnsPolicy,
  irsaAnnotation,
  irsaTrustPolicy,
  WorkloadIdentities,
} from "../../components/aws/identity";
import { inClusterTools } from "../../components/platform";
import { Plan } from "../../scripts/plan/run";
import { resourceNamed, resourcesOfType } from "../helpers";
import { json, planComponent } from "./fixtures";

const issuer = "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC123";
const providerArn = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC123";
const zoneArn = "arn:aws:route53:::hostedzone/Z123";

let identities: WorkloadIdentities | undefined;

describe("IRSA roles of the in-cluster tools", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await planComponent(() => {
      identities = new WorkloadIdentities("id", { oidcProviderArn: providerArn, oidcIssuerUrl: issuer, zoneId: "Z123", domain: "gitpod.example.com", partition: "aws" });
    });
  });

  it.each([
    ["cert-manager", inClusterTools.certManager],
    ["external-dns", inClusterTools.externalDns],
    ["velero", inClusterTools.velero],
  ])("%s's role trusts only its own service account, through the cluster's OIDC provider", (tool, { namespace, serviceAccount }) => {
    const trust = json(resourceNamed(plan, "aws:iam/role:Role", `id-${tool}-role`), "assumeRolePolicy");
    expect(trust.Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Federated: providerArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            "oidc.eks.eu-west-1.amazonaws.com/id/ABC123:sub": `system:serviceaccount:${namespace}:${serviceAccount}`,
            "oidc.eks.eu-west-1.amazonaws.com/id/ABC123:aud": "sts.amazonaws.com",
          },
        },
      },
    ]);
  });

  it("lets cert-manager change only TXT records named _acme-challenge in the stack's zone", () => {
    const statements = json(resourceNamed(plan, "aws:iam/rolePolicy:RolePolicy", "id-cert-manager-policy"), "policy").Statement;
    const change = statements.filter((s: any) => [s.Action].flat().includes("route53:ChangeResourceRecordSets"));
    expect(change).toHaveLength(1);
    expect(change[0].Resource).toBe(zoneArn);
    expect(change[0].Condition).toEqual({
      "ForAllValues:StringEquals": { "route53:ChangeResourceRecordSetsRecordTypes": ["TXT"] },
      "ForAllValues:StringLike": {
        "route53:ChangeResourceRecordSetsNormalizedRecordNames": ["_acme-challenge.gitpod.example.com", "_acme-challenge.*.gitpod.example.com"],
      },
    });
    const wildcard = statements.filter((s: any) => s.Resource === "*").flatMap((s: any) => [s.Action].flat());
    expect(wildcard).toEqual(["route53:ListHostedZonesByName"]);
  });

  it("lets external-dns manage address, alias and ownership records in the stack's zone only", () => {
    const statements = json(resourceNamed(plan, "aws:iam/rolePolicy:RolePolicy", "id-external-dns-policy"), "policy").Statement;
    const change = statements.find((s: any) => s.Action === "route53:ChangeResourceRecordSets");
    expect(change.Resource).toBe(zoneArn);
    expect(change.Condition["ForAllValues:StringEquals"]["route53:ChangeResourceRecordSetsRecordTypes"]).toEqual(["A", "AAAA", "CNAME", "TXT"]);
    const wildcard = statements.filter((s: any) => s.Resource === "*").flatMap((s: any) => [s.Action].flat());
    expect(wildcard.every((a: string) => a.startsWith("route53:List"))).toBe(true);
  });

  it("lets Velero snapshot EBS volumes (bucket access comes from the backup layer)", () => {
    const statements = json(resourceNamed(plan, "aws:iam/rolePolicy:RolePolicy", "id-velero-policy"), "policy").Statement;
    const actions = statements.flatMap((s: any) => [s.Action].flat());
    expect(actions).toEqual(expect.arrayContaining(["ec2:CreateSnapshot", "ec2:DeleteSnapshot", "ec2:DescribeVolumes"]));
    expect(actions.some((a: string) => a.startsWith("s3:") || a.startsWith("route53:"))).toBe(false);
  });

  it("binds each tool's service account with the IRSA annotation and no pod labels", async () => {
    expect(resourcesOfType(plan, "aws:iam/role:Role")).toHaveLength(3);
    for (const tool of ["certManager", "externalDns", "velero"] as const) {
      const binding = identities!.bindings[tool];
      const annotations = await new Promise<Record<string, string>>((resolve) => binding.serviceAccountAnnotations.apply(resolve));
      expect(Object.keys(annotations)).toEqual([irsaAnnotation]);
      expect(annotations[irsaAnnotation]).toMatch(/^arn:aws:iam::123456789012:role\//);
      expect(binding.podLabels).toEqual({});
    }
  });
});

describe("IAM policy helpers", () => {
  it("builds trust and permission policies from plain values", () => {
    expect(JSON.parse(irsaTrustPolicy(providerArn, issuer, "ns", "sa")).Statement[0].Condition.StringEquals).toEqual({
      "oidc.eks.eu-west-1.amazonaws.com/id/ABC123:sub": "system:serviceaccount:ns:sa",
      "oidc.eks.eu-west-1.amazonaws.com/id/ABC123:aud": "sts.amazonaws.com",
    });
    expect(JSON.parse(certManagerPolicy("aws-cn", "Z9", "a.example.com")).Statement[1].Resource).toBe("arn:aws-cn:route53:::hostedzone/Z9");
    expect(JSON.parse(externalDnsPolicy("aws", "Z9")).Statement[0].Resource).toBe("arn:aws:route53:::hostedzone/Z9");
  });
});
