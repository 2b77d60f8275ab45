import * as k8s from "../../providers/sdk/kubernetes";
import * as random from "@pulumi/random";
import { autoscalerChart, autoscalerImageTag, ClusterAutoscaler } from "../../components/aws/autoscaler";
import { gitpodNodeLabels } from "../../components/platform";
import { Plan } from "../../scripts/plan/run";
import { onlyResource } from "../helpers";
import { json, planComponent } from "./fixtures";

describe("cluster autoscaler", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await planComponent(() => {
      const nodes = new random.RandomId("nodes", { byteLength: 4 });
      const provider = new k8s.Provider("k8s", { kubeconfig: "apiVersion: v1\nkind: Config\n" });
      new ClusterAutoscaler("ca", {
        provider,
        clusterName: "gitpod-test",
        region: "eu-west-1",
        kubernetesVersion: "1.33",
        oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC",
        oidcIssuerUrl: "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC",
        partition: "aws",
        dependsOn: [nodes],
      });
    });
  });

  it("installs the pinned chart with the autoscaler release of the cluster's minor version, after the nodes", () => {
    const release = onlyResource(plan, "kubernetes:helm.sh/v3:Release");
    expect(release.inputs).toMatchObject({ chart: "cluster-autoscaler", version: autoscalerChart.version, namespace: "kube-system" });
    expect((release.inputs.values as any).image).toEqual({ repository: "registry.k8s.io/autoscaling/cluster-autoscaler", tag: "v1.33.6" });
    expect(release.dependencies).toContain(onlyResource(plan, "random:index/randomId:RandomId").urn);
    expect(release.provider).toBe(onlyResource(plan, "pulumi:providers:kubernetes").urn);
  });

  it("discovers the cluster's node groups, runs on the services nodes, and uses its IRSA role", () => {
    const values = onlyResource(plan, "kubernetes:helm.sh/v3:Release").inputs.values as any;
    expect(values).toMatchObject({ cloudProvider: "aws", awsRegion: "eu-west-1", autoDiscovery: { clusterName: "gitpod-test" } });
    expect(values.nodeSelector).toEqual(gitpodNodeLabels.services);
    const role = onlyResource(plan, "aws:iam/role:Role");
    expect(values.rbac.serviceAccount).toEqual({
      create: true,
      name: "cluster-autoscaler",
      annotations: { "eks.amazonaws.com/role-arn": `arn:aws:iam::123456789012:role/${role.name}` },
    });
    expect(json(role, "assumeRolePolicy").Statement[0].Condition.StringEquals["oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub"]).toBe(
      "system:serviceaccount:kube-system:cluster-autoscaler",
    );
  });

  it("may change the size of this cluster's Auto Scaling groups only", () => {
    const statements = json(onlyResource(plan, "aws:iam/rolePolicy:RolePolicy"), "policy").Statement;
    const scale = statements.find((s: any) => s.Sid === "ScaleOwnGroupsOnly");
    expect(scale.Action).toEqual(["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"]);
    expect(scale.Condition).toEqual({ StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/gitpod-test": "owned" } });
    const unconditioned = statements.filter((s: any) => !s.Condition).flatMap((s: any) => s.Action);
    expect(unconditioned.every((a: string) => /^(autoscaling|ec2):(Describe|Get)|^eks:DescribeNodegroup$/.test(a))).toBe(true);
  });

  it("follows the cluster's minor version", () => {
    expect(autoscalerImageTag("1.33.4")).toBe("v1.33.6");
    expect(autoscalerImageTag("1.35")).toBe("v1.35.1");
    expect(autoscalerImageTag("1.36")).toBe("v1.36.0");
  });
});
