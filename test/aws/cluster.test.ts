import * as YAML from "yaml";
import { vpcCniConfiguration } from "../../components/aws/addons";
import { accessPolicyArn, EksCluster, EksClusterArgs, eksUpgradePolicy } from "../../components/aws/cluster";
import { kubeconfig } from "../../components/aws/kubeconfig";
import { clusterDnsIp, maxPodsPerNode, nodeUserData, rootVolume, userNamespacesSysctl } from "../../components/aws/nodeGroup";
import { gitpodNodeLabels } from "../../components/platform";
import { Plan } from "../../scripts/plan/run";
import { onlyResource, resourceNamed, resourcesOfType } from "../helpers";
import { awsConfig, json, planComponent } from "./fixtures";

const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const ADDON = "aws:eks/addon:Addon";

let lastCluster: EksCluster | undefined;

function planCluster(overrides: Partial<EksClusterArgs> = {}, configOverrides: Record<string, unknown> = {}): Promise<Plan> {
  const config = awsConfig(configOverrides);
  return planComponent(() => {
    lastCluster = new EksCluster("c", {
      clusterName: "gitpod-test",
      region: "eu-west-1",
      partition: "aws",
      kubernetesVersion: "1.35",
      supportPlan: "standard",
      vpcId: "vpc-1",
      subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
      serviceCidr: "172.20.0.0/16",
      apiPublicAccessCidrs: ["198.51.100.0/24"],
      logTypes: ["api", "audit", "authenticator"],
      logRetentionDays: 365,
      accessEntries: [
        { principalArn: "arn:aws:iam::123456789012:role/admins", policy: "cluster-admin", namespaces: [] },
        { principalArn: "arn:aws:iam::123456789012:role/support", policy: "view", namespaces: ["gitpod"] },
      ],
      nodePools: config.nodePools,
      nodeImageId: "ami-0123456789abcdef0",
      deletionProtection: true,
      ...overrides,
    });
  });
}

function userDataOf(plan: Plan, name: string): string {
  return Buffer.from(String(resourceNamed(plan, LAUNCH_TEMPLATE, name).inputs.userData), "base64").toString("utf8");
}

describe("EKS control plane", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await planCluster();
  });

  it("pins the Kubernetes version and keeps nodes and control-plane ENIs in the private subnets", () => {
    const cluster = onlyResource(plan, "aws:eks/cluster:Cluster").inputs as any;
    expect(cluster.name).toBe("gitpod-test");
    expect(cluster.version).toBe("1.35");
    expect(cluster.vpcConfig).toEqual({
      subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
      endpointPrivateAccess: true,
      endpointPublicAccess: true,
      publicAccessCidrs: ["198.51.100.0/24"],
    });
    expect(cluster.kubernetesNetworkConfig).toEqual({ ipFamily: "ipv4", serviceIpv4Cidr: "172.20.0.0/16" });
    expect(cluster.bootstrapSelfManagedAddons).toBe(false);
    expect(cluster.deletionProtection).toBe(true);
    expect(cluster.upgradePolicy).toEqual({ supportType: "STANDARD" });
  });

  it("encrypts secrets with its own rotating KMS key", () => {
    const cluster = onlyResource(plan, "aws:eks/cluster:Cluster").inputs as any;
    const key = resourceNamed(plan, "aws:kms/key:Key", "c-secrets");
    expect(key.inputs).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 30 });
    expect(cluster.encryptionConfig).toEqual({ resources: ["secrets"], provider: { keyArn: expect.stringContaining(":key/") } });
    expect(cluster.encryptionConfig.provider.keyArn).toContain(":kms:");
  });

  it("sends the configured control-plane logs to a log group with the configured retention, created first", () => {
    const cluster = onlyResource(plan, "aws:eks/cluster:Cluster");
    expect(cluster.inputs.enabledClusterLogTypes).toEqual(["api", "audit", "authenticator"]);
    const logGroup = onlyResource(plan, "aws:cloudwatch/logGroup:LogGroup");
    expect(logGroup.inputs).toEqual({ name: "/aws/eks/gitpod-test/cluster", retentionInDays: 365 });
    expect(cluster.dependencies).toContain(logGroup.urn);
  });

  it("authenticates with access entries and grants the operators their policies and scopes", () => {
    expect((onlyResource(plan, "aws:eks/cluster:Cluster").inputs as any).accessConfig).toEqual({
      authenticationMode: "API",
      bootstrapClusterCreatorAdminPermissions: true,
    });
    const entries = resourcesOfType(plan, "aws:eks/accessEntry:AccessEntry").map((e) => e.inputs);
    expect(entries).toEqual([
      { clusterName: "gitpod-test", principalArn: "arn:aws:iam::123456789012:role/admins", type: "STANDARD" },
      { clusterName: "gitpod-test", principalArn: "arn:aws:iam::123456789012:role/support", type: "STANDARD" },
    ]);
    const associations = resourcesOfType(plan, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation").map((a) => a.inputs);
    expect(associations).toEqual([
      expect.objectContaining({
        policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
        accessScope: { type: "cluster" },
      }),
      expect.objectContaining({
        policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
        accessScope: { type: "namespace", namespaces: ["gitpod"] },
      }),
    ]);
  });

  it("has an IAM OIDC provider for IRSA with the cluster's issuer and the STS audience", () => {
    const oidc = onlyResource(plan, "aws:iam/openIdConnectProvider:OpenIdConnectProvider").inputs;
    expect(oidc.url).toMatch(/^https:\/\/oidc\.eks\..+\/id\/[0-9A-F]+$/);
    expect(oidc.clientIdLists).toEqual(["sts.amazonaws.com"]);
  });

  it("runs the VPC CNI with prefix delegation and its own policy agent off, on an IRSA role with the CNI policy", () => {
    const cni = resourceNamed(plan, ADDON, "c-vpc-cni");
    expect(json(cni, "configurationValues")).toEqual({
      enableNetworkPolicy: "false",
      env: { ENABLE_PREFIX_DELEGATION: "true", WARM_PREFIX_TARGET: "1", ANNOTATE_POD_IP: "true" },
    });
    const role = resourceNamed(plan, "aws:iam/role:Role", "c-vpc-cni-role");
    expect(cni.inputs.serviceAccountRoleArn).toBe(`arn:aws:iam::123456789012:role/${role.name}`);
    const trust = json(role, "assumeRolePolicy").Statement[0];
    expect(Object.values(trust.Condition.StringEquals)).toContain("system:serviceaccount:kube-system:aws-node");
    expect(resourceNamed(plan, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "c-vpc-cni-AmazonEKS_CNI_Policy").inputs.policyArn).toBe(
      "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
    );
  });

  it("installs CoreDNS and the EBS CSI driver after the node groups, kube-proxy and the CNI before them", () => {
    const groups = resourcesOfType(plan, NODE_GROUP).map((g) => g.urn);
    expect(resourceNamed(plan, ADDON, "c-coredns").dependencies).toEqual(expect.arrayContaining(groups));
    expect(resourceNamed(plan, ADDON, "c-aws-ebs-csi-driver").dependencies).toEqual(expect.arrayContaining(groups));
  });

  it("gives each node group itself (not only its component) the node policies, the CNI and kube-proxy to wait for and outlive", () => {
    // A component's dependsOn never reaches its children: the engine must receive these on the NodeGroup resource.
    const needed = [
      resourceNamed(plan, ADDON, "c-vpc-cni").urn,
      resourceNamed(plan, ADDON, "c-kube-proxy").urn,
      ...resourcesOfType(plan, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        .filter((a) => a.name.startsWith("c-nodes-"))
        .map((a) => a.urn),
    ];
    expect(needed).toHaveLength(5);
    for (const group of resourcesOfType(plan, NODE_GROUP)) expect(group.dependencies).toEqual(expect.arrayContaining(needed));
  });

  it("keeps EKS standard support unless extended support is chosen explicitly", async () => {
    expect(eksUpgradePolicy("standard")).toEqual({ supportType: "STANDARD" });
    const extended = await planCluster({ supportPlan: "extended" });
    expect((onlyResource(extended, "aws:eks/cluster:Cluster").inputs as any).upgradePolicy).toEqual({ supportType: "EXTENDED" });
  });

  it("keeps the CNI permissions off the node role, which gets worker, ECR pull-only and SSM policies", () => {
    const attached = resourcesOfType(plan, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
      .filter((a) => a.name.startsWith("c-nodes-"))
      .map((a) => a.inputs.policyArn)
      .sort();
    expect(attached).toEqual([
      "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
      "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
      "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
    ]);
  });

  it("produces a secret kubeconfig that authenticates with aws eks get-token", async () => {
    const isSecret = await (lastCluster!.kubeconfig as any).isSecret;
    expect(isSecret).toBe(true);
    const text = await new Promise<string>((resolve) => lastCluster!.kubeconfig.apply(resolve));
    const exec = YAML.parse(text).users[0].user.exec;
    expect(exec.command).toBe("aws");
    expect(exec.args).toEqual(["eks", "get-token", "--cluster-name", "gitpod-test", "--region", "eu-west-1", "--output", "json"]);
  });
});

describe("managed node groups", () => {
  let plan: Plan;
  beforeAll(async () => {
    plan = await planCluster();
  });

  it("are exactly three, one per Gitpod role, with the Gitpod labels", () => {
    const groups = resourcesOfType(plan, NODE_GROUP);
    const labelsByName = Object.fromEntries(groups.map((g) => [g.inputs.nodeGroupName, g.inputs.labels]));
    expect(labelsByName).toEqual({
      "gitpod-test-services": gitpodNodeLabels.services,
      "gitpod-test-regular-workspaces": gitpodNodeLabels.regularWorkspaces,
      "gitpod-test-headless-workspaces": gitpodNodeLabels.headlessWorkspaces,
    });
  });

  it("size services m6i.xlarge 1-4 and workspaces m6i.4xlarge 1-50, in the private subnets, leaving desired size to the autoscaler", () => {
    const group = (name: string) => resourceNamed(plan, NODE_GROUP, name);
    expect(group("c-services-ng").inputs).toMatchObject({
      instanceTypes: ["m6i.xlarge"],
      scalingConfig: { minSize: 1, maxSize: 4, desiredSize: 1 },
      subnetIds: ["subnet-a", "subnet-b", "subnet-c"],
      capacityType: "ON_DEMAND",
    });
    for (const name of ["c-regular-workspaces-ng", "c-headless-workspaces-ng"]) {
      expect(group(name).inputs).toMatchObject({ instanceTypes: ["m6i.4xlarge"], scalingConfig: { minSize: 1, maxSize: 50 } });
      expect(group(name).inputs.updateConfig).toEqual({ maxUnavailable: 1 });
      expect(group(name).options.ignoreChanges).toEqual(["scalingConfig.desiredSize"]);
    }
  });

  it("carry cluster-autoscaler discovery tags and their label templates for scaling from zero", () => {
    expect(resourceNamed(plan, NODE_GROUP, "c-regular-workspaces-ng").inputs.tags).toEqual({
      "k8s.io/cluster-autoscaler/enabled": "true",
      "k8s.io/cluster-autoscaler/gitpod-test": "owned",
      "k8s.io/cluster-autoscaler/node-template/label/gitpod.io/workload_workspace_regular": "true",
    });
  });

  it("boot the Ubuntu AMI through a launch template with encrypted gp3 disks of the configured size and IMDSv2 only", () => {
    const services = resourceNamed(plan, LAUNCH_TEMPLATE, "c-services-lt").inputs as any;
    const workspaces = resourceNamed(plan, LAUNCH_TEMPLATE, "c-regular-workspaces-lt").inputs as any;
    expect(services.imageId).toBe("ami-0123456789abcdef0");
    expect(services.blockDeviceMappings).toEqual([
      { deviceName: "/dev/sda1", ebs: { volumeSize: 100, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true", iops: 3000, throughput: 125 } },
    ]);
    expect(workspaces.blockDeviceMappings[0].ebs).toMatchObject({ volumeSize: 512, volumeType: "gp3", iops: 6000, throughput: 500 });
    expect(services.metadataOptions).toEqual({ httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" });
    const group = resourceNamed(plan, NODE_GROUP, "c-services-ng").inputs as any;
    expect(group.launchTemplate).toEqual({ id: "c-services-lt-id", version: "1" });
    expect(group.amiType).toBeUndefined();
  });

  it("join the cluster with 110 max pods, the cluster DNS address and their labels from the first boot", () => {
    const userData = userDataOf(plan, "c-headless-workspaces-lt");
    expect(userData).toContain("Content-Type: multipart/mixed");
    expect(userData).toContain("/etc/eks/bootstrap.sh 'gitpod-test'");
    expect(userData).toContain("--use-max-pods false");
    expect(userData).toContain("--dns-cluster-ip '172.20.0.10'");
    expect(userData).toContain("--kubelet-extra-args '--max-pods=110 --node-labels=gitpod.io/workload_workspace_headless=true'");
    expect(userData).toMatch(/--apiserver-endpoint 'https:\/\/[0-9A-F]+\.gr7\./);
  });

  it("put the cluster and node security groups on every node, and the database-client group on services nodes only", () => {
    const groupsOf = (name: string) => (resourceNamed(plan, LAUNCH_TEMPLATE, name).inputs as any).vpcSecurityGroupIds;
    expect(groupsOf("c-services-lt")).toEqual([expect.stringMatching(/^sg-/), "c-nodes-id", "c-db-clients-id"]);
    // Workspace pods leave through their node's ENIs with its groups: the database admits c-db-clients only.
    expect(groupsOf("c-regular-workspaces-lt")).toEqual([expect.stringMatching(/^sg-/), "c-nodes-id"]);
    expect(groupsOf("c-headless-workspaces-lt")).toEqual([expect.stringMatching(/^sg-/), "c-nodes-id"]);
  });

  it("lift Ubuntu 24.04's user-namespace restriction on workspace nodes only, before they join", () => {
    const line = `printf '%s\\n' '${userNamespacesSysctl.setting}' > ${userNamespacesSysctl.file}`;
    for (const name of ["c-regular-workspaces-lt", "c-headless-workspaces-lt"]) {
      const userData = userDataOf(plan, name);
      expect(userData).toContain(line);
      expect(userData).toContain(`sysctl -e -p ${userNamespacesSysctl.file}`);
      expect(userData.indexOf(userNamespacesSysctl.file)).toBeLessThan(userData.indexOf("/etc/eks/bootstrap.sh"));
    }
    expect(userDataOf(plan, "c-services-lt")).not.toContain("apparmor_restrict_unprivileged_userns");
  });

  it("follow the configured pool sizes", async () => {
    const custom = await planCluster({}, { nodePools: { regularWorkspaces: { machineType: "m7i.8xlarge", maxNodes: 20, diskSizeGb: 1024 } } });
    expect(resourceNamed(custom, NODE_GROUP, "c-regular-workspaces-ng").inputs).toMatchObject({
      instanceTypes: ["m7i.8xlarge"],
      scalingConfig: { minSize: 1, maxSize: 20 },
    });
    expect((resourceNamed(custom, LAUNCH_TEMPLATE, "c-regular-workspaces-lt").inputs as any).blockDeviceMappings[0].ebs.volumeSize).toBe(1024);
  });
});

describe("cluster helpers", () => {
  it("states IOPS for provisioned-IOPS disks and leaves gp2 to its size-based baseline", () => {
    const pool = { machineType: "m6i.4xlarge", diskSizeGb: 512, minNodes: 1, maxNodes: 50 };
    expect(rootVolume("regularWorkspaces", { ...pool, diskType: "io2" })).toEqual({
      volumeSize: 512,
      volumeType: "io2",
      encrypted: "true",
      deleteOnTermination: "true",
      iops: 6000,
    });
    expect(rootVolume("services", { ...pool, diskType: "gp2" })).toEqual({ volumeSize: 512, volumeType: "gp2", encrypted: "true", deleteOnTermination: "true" });
  });

  it("puts cluster DNS on the tenth address of the service CIDR", () => {
    expect(clusterDnsIp("172.20.0.0/16")).toBe("172.20.0.10");
    expect(clusterDnsIp("10.100.0.0/16")).toBe("10.100.0.10");
  });

  it("maps the config's policy names to EKS access policy ARNs in the stack's partition", () => {
    expect(accessPolicyArn("aws", "admin")).toBe("arn:aws:eks::aws:cluster-access-policy/AmazonEKSAdminPolicy");
    expect(accessPolicyArn("aws-us-gov", "edit")).toBe("arn:aws-us-gov:eks::aws:cluster-access-policy/AmazonEKSEditPolicy");
  });

  it("writes a kubeconfig whose user runs aws eks get-token for the cluster and region, with the profile if set", () => {
    const config = YAML.parse(kubeconfig({ clusterName: "gitpod-x", endpoint: "https://E.eks", certificateAuthority: "Q0E=", region: "eu-west-1", profile: "gitpod" }));
    expect(config.clusters[0].cluster).toEqual({ server: "https://E.eks", "certificate-authority-data": "Q0E=" });
    expect(config["current-context"]).toBe("gitpod-x");
    expect(config.users[0].user.exec).toMatchObject({
      apiVersion: "client.authentication.k8s.io/v1beta1",
      command: "aws",
      args: ["eks", "get-token", "--cluster-name", "gitpod-x", "--region", "eu-west-1", "--output", "json"],
      env: [{ name: "AWS_PROFILE", value: "gitpod" }],
    });
    const noProfile = YAML.parse(kubeconfig({ clusterName: "gitpod-x", endpoint: "https://E.eks", certificateAuthority: "Q0E=", region: "eu-west-1" }));
    expect(noProfile.users[0].user.exec.env).toBeUndefined();
  });

  it("quotes values in the bootstrap script so that no label or endpoint can break out of it", () => {
    const script = nodeUserData({
      clusterName: "c",
      endpoint: "https://e",
      certificateAuthority: "Q0E=",
      dnsClusterIp: "10.100.0.10",
      labels: { a: "it's" },
      maxPods: maxPodsPerNode,
      allowUnprivilegedUserNamespaces: false,
    });
    expect(script).toContain(`--kubelet-extra-args '--max-pods=110 --node-labels=a=it'\\''s'`);
  });

  it("never enables the VPC CNI's own network policy beside Calico", () => {
    expect(vpcCniConfiguration().enableNetworkPolicy).toBe("false");
  });
});
