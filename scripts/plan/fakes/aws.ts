import { createHash } from "crypto";
import { fakeSecretMarker } from "./random";
import { CloudFakes } from "./types";
import { standIn } from "../standIns";

/** The account every offline AWS plan runs in (the documentation example account). */
export const fakeAccountId = standIn("AWS account id", "123456789012");

const arn = (service: string, resource: string, region: string) => `arn:aws:${service}:${region}:${fakeAccountId}:${resource}`;
const hex = (text: string, length: number) => createHash("sha256").update(text).digest("hex").slice(0, length);

/** Fake computed outputs and calls for aws resources in the offline plan. */
export const awsFakes: CloudFakes = {
  outputs: {
    "aws:eks/cluster:Cluster": (inputs, name) => {
      const clusterName = inputs.name ?? name;
      const id = standIn("EKS cluster id", hex(clusterName, 32).toUpperCase());
      return {
        name: clusterName,
        arn: arn("eks", `cluster/${clusterName}`, "offline-1"),
        endpoint: `https://${id}.gr7.offline-1.eks.amazonaws.com`,
        certificateAuthority: { data: Buffer.from("offline-plan-eks-ca").toString("base64") },
        identities: [{ oidcs: [{ issuer: `https://oidc.eks.offline-1.amazonaws.com/id/${id}` }] }],
        vpcConfig: { ...inputs.vpcConfig, clusterSecurityGroupId: standIn("security group id", `sg-${hex(clusterName, 17)}`) },
        status: "ACTIVE",
      };
    },
    "aws:eks/nodeGroup:NodeGroup": (inputs, name) => ({
      nodeGroupName: inputs.nodeGroupName ?? name,
      arn: arn("eks", `nodegroup/${inputs.clusterName}/${inputs.nodeGroupName ?? name}/offline`, "offline-1"),
      status: "ACTIVE",
    }),
    // ECR Public: the registry alias of the offline account.
    "aws:ecrpublic/repository:Repository": (inputs) => ({ repositoryUri: `public.ecr.aws/offline${hex(fakeAccountId, 8)}/${inputs.repositoryName}`, registryId: fakeAccountId }),
    "aws:eks/addon:Addon": (inputs) => ({ addonVersion: inputs.addonVersion ?? "offline-default" }),
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider": (inputs) => ({
      arn: `arn:aws:iam::${fakeAccountId}:oidc-provider/${String(inputs.url).replace(/^https:\/\//, "")}`,
    }),
    "aws:iam/role:Role": (inputs, name) => ({
      name: inputs.name ?? name,
      arn: `arn:aws:iam::${fakeAccountId}:role/${inputs.name ?? name}`,
      uniqueId: `AROA${hex(name, 17).toUpperCase()}`,
    }),
    "aws:iam/user:User": (inputs, name) => ({
      name: inputs.name ?? name,
      arn: `arn:aws:iam::${fakeAccountId}:user${inputs.path ?? "/"}${inputs.name ?? name}`,
    }),
    "aws:iam/accessKey:AccessKey": (_inputs, name) => ({ secret: `${fakeSecretMarker}-${name}`, status: "Active" }),
    "aws:kms/key:Key": (_inputs, name) => {
      const keyId = standIn("KMS key id", `${hex(name, 8)}-${hex(name + 1, 4)}-${hex(name + 2, 4)}-${hex(name + 3, 4)}-${hex(name + 4, 12)}`);
      return { keyId, arn: arn("kms", `key/${keyId}`, "offline-1") };
    },
    "aws:ec2/launchTemplate:LaunchTemplate": () => ({ latestVersion: 1, defaultVersion: 1 }),
    "aws:rds/instance:Instance": (inputs, name) => ({
      identifier: inputs.identifier ?? name,
      address: `${inputs.identifier ?? name}.c0ffl1ne0000.offline-1.rds.amazonaws.com`,
      port: inputs.port ?? 3306,
      arn: arn("rds", `db:${inputs.identifier ?? name}`, "offline-1"),
    }),
    "aws:rds/subnetGroup:SubnetGroup": (inputs, name) => ({ name: inputs.name ?? name }),
    "aws:rds/parameterGroup:ParameterGroup": (inputs, name) => ({ name: inputs.name ?? name }),
    "aws:s3/bucket:Bucket": (inputs, name) => {
      const bucket = inputs.bucket ?? `${inputs.bucketPrefix ?? `${name}-`}${hex(name, 26)}`;
      return { bucket, arn: `arn:aws:s3:::${bucket}`, bucketRegionalDomainName: `${bucket}.s3.offline-1.amazonaws.com` };
    },
    "aws:route53/zone:Zone": (inputs) => ({
      zoneId: standIn("Route 53 zone id", `Z${hex(String(inputs.name), 20).toUpperCase()}`),
      nameServers: [1, 2, 3, 4].map((i) => standIn(`name server ${i}`, `ns-offline-${i}.example.net`)),
    }),
    "aws:route53/keySigningKey:KeySigningKey": (inputs) => ({
      dsRecord: `${inputs.name} 13 2 ${hex(String(inputs.hostedZoneId), 64).toUpperCase()}`,
    }),
    "aws:ecr/repository:Repository": (inputs, name) => ({
      name: inputs.name ?? name,
      repositoryUrl: `${fakeAccountId}.dkr.ecr.offline-1.amazonaws.com/${inputs.name ?? name}`,
      arn: arn("ecr", `repository/${inputs.name ?? name}`, "offline-1"),
    }),
    "aws:cloudwatch/logGroup:LogGroup": (inputs, name) => ({ name: inputs.name ?? name }),
  },
  calls: {
    "aws:ecrpublic/getAuthorizationToken:getAuthorizationToken": () => ({
      userName: "AWS",
      password: `${fakeSecretMarker}-ecr-public-token`,
      authorizationToken: Buffer.from(`AWS:${fakeSecretMarker}-ecr-public-token`).toString("base64"),
      expiresAt: "offline",
      id: "public.ecr.aws",
    }),
    "aws:index/getCallerIdentity:getCallerIdentity": () => ({
      accountId: fakeAccountId,
      arn: `arn:aws:iam::${fakeAccountId}:user/offline-plan`,
      userId: "AIDAOFFLINEPLAN",
      id: fakeAccountId,
    }),
    "aws:index/getAvailabilityZones:getAvailabilityZones": (inputs) => {
      const region = inputs.region ?? "offline-1";
      return { names: ["a", "b", "c"].map((zone) => `${region}${zone}`), zoneIds: [1, 2, 3].map((i) => `offline-az${i}`), id: region };
    },
    "aws:ssm/getParameter:getParameter": (inputs) => {
      const ami = standIn("AMI id", `ami-0${hex(String(inputs.name), 16)}`);
      return { name: inputs.name, value: ami, insecureValue: ami, type: "String", version: 1, arn: `arn:aws:ssm:::parameter${inputs.name}`, id: inputs.name };
    },
  },
};
