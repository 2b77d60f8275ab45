import * as k8s from "../../providers/sdk/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { Calico, calicoChart, calicoValues } from "../../components/aws/calico";
import { Plan } from "../../scripts/plan/run";
import { onlyResource } from "../helpers";
import { planComponent } from "./fixtures";


describe("Calico on EKS", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await planComponent(() => {
      const nodes = new random.RandomId("nodes", { byteLength: 4 });
      const provider = new k8s.Provider("k8s", { kubeconfig: pulumi.secret("apiVersion: v1\nkind: Config\n") });
      new Calico("calico", { provider, dependsOn: [nodes] });
    });
  });

  it("installs the pinned Tigera operator chart into its own namespace", () => {
    const release = onlyResource(plan, "kubernetes:helm.sh/v3:Release").inputs as any;
    expect(release).toMatchObject({
      chart: "tigera-operator",
      version: calicoChart.version,
      namespace: "tigera-operator",
      createNamespace: true,
      repositoryOpts: { repo: "https://docs.tigera.io/calico/charts" },
      atomic: true,
    });
    expect(calicoChart.version).toMatch(/^v3\.\d+\.\d+$/);
  });

  it("runs Calico as policy engine beside the Amazon VPC CNI: EKS provider, AmazonVPC CNI, no BGP", () => {
    const values = (onlyResource(plan, "kubernetes:helm.sh/v3:Release").inputs as any).values;
    expect(values).toEqual(calicoValues());
    expect(values.installation).toEqual({
      kubernetesProvider: "EKS",
      cni: { type: "AmazonVPC" },
      calicoNetwork: { bgp: "Disabled", linuxDataplane: "Iptables" },
    });
  });

  it("goes through the given cluster provider, after the nodes exist", () => {
    const provider = onlyResource(plan, "pulumi:providers:kubernetes");
    const release = onlyResource(plan, "kubernetes:helm.sh/v3:Release");
    expect(release.provider).toBe(provider.urn);
    expect(release.dependencies).toContain(onlyResource(plan, "random:index/randomId:RandomId").urn);
  });
});
