/**
 * The Kubernetes cluster on each cloud: GKE, EKS, AKS. Three labelled node pools (nodePools.ts), network policy enforced,
 * workload identity, hardened nodes, restricted control plane, deletion protection in production.
 */
import {
  asArray,
  asRecord,
  byUrn,
  chartName,
  dependsOn,
  describe,
  get,
  helmTypes,
  isProduction,
  ofType,
  ResourceRule,
  show,
  StackRule,
  truthy,
  Violation,
} from "./lib";
import { nodePoolsGitpodLabels, types } from "./nodePools";


const calicoCharts = ["tigera-operator"];

export const networkPolicyEnabled: StackRule = {
  kind: "stack",
  name: "network-policy-enabled",
  family: "cluster",
  level: "mandatory",
  description:
    "Kubernetes NetworkPolicies are enforced: GKE networkPolicy CALICO with the addon on (or Dataplane V2), AKS networkProfile.networkPolicy, EKS with Calico (tigera-operator) or the VPC CNI's network policy agent.",
  check(resources) {
    const index = byUrn(resources);
    const out: Violation[] = [];
    for (const gke of ofType(resources, types.gke)) {
      const p = gke.props;
      if (p.datapathProvider === "ADVANCED_DATAPATH") continue;
      if (get(p, ["networkPolicy", "enabled"]) !== true || get(p, ["networkPolicy", "provider"]) !== "CALICO") {
        out.push({ urn: gke.urn, message: `${describe(gke)}: networkPolicy is ${show(p.networkPolicy)}; set enabled true and provider CALICO (or datapathProvider ADVANCED_DATAPATH)` });
      } else if (get(p, ["addonsConfig", "networkPolicyConfig", "disabled"]) === true) {
        out.push({ urn: gke.urn, message: `${describe(gke)}: addonsConfig.networkPolicyConfig.disabled is true; the Calico addon must be on` });
      }
    }
    for (const aks of ofType(resources, types.aks)) {
      const policy = get(aks.props, ["networkProfile", "networkPolicy"]);
      if (!["calico", "azure", "cilium"].includes(String(policy))) {
        out.push({ urn: aks.urn, message: `${describe(aks)}: networkProfile.networkPolicy is ${show(policy)}; set calico (or azure, cilium)` });
      }
    }
    for (const eks of ofType(resources, types.eks)) {
      const calico = resources.some((r) => helmTypes.includes(r.type) && calicoCharts.includes(chartName(r.props) ?? "") && dependsOn(r, eks, index));
      const vpcCni = ofType(resources, types.eksAddon).some((a) => {
        if (a.props.addonName !== "vpc-cni" || !dependsOn(a, eks, index)) return false;
        try {
          return truthy(asRecord(JSON.parse(String(a.props.configurationValues ?? "{}"))).enableNetworkPolicy);
        } catch {
          return false;
        }
      });
      if (!calico && !vpcCni) {
        out.push({ urn: eks.urn, message: `${describe(eks)}: nothing enforces NetworkPolicies (no tigera-operator chart on this cluster, vpc-cni addon configurationValues.enableNetworkPolicy not "true")` });
      }
    }
    return out;
  },
};

export const workloadIdentityEnabled: StackRule = {
  kind: "stack",
  name: "workload-identity-enabled",
  family: "cluster",
  level: "mandatory",
  description:
    "Pods can assume cloud identities without keys: GKE workloadIdentityConfig.workloadPool, AKS oidcIssuerProfile and securityProfile.workloadIdentity, an IAM OIDC provider for each EKS cluster.",
  check(resources) {
    const index = byUrn(resources);
    const out: Violation[] = [];
    for (const gke of ofType(resources, types.gke)) {
      const pool = get(gke.props, ["workloadIdentityConfig", "workloadPool"]);
      if (typeof pool !== "string" || pool === "") out.push({ urn: gke.urn, message: `${describe(gke)}: workloadIdentityConfig.workloadPool is ${show(pool)}; set it to <project>.svc.id.goog` });
    }
    for (const aks of ofType(resources, types.aks)) {
      if (get(aks.props, ["oidcIssuerProfile", "enabled"]) !== true) out.push({ urn: aks.urn, message: `${describe(aks)}: oidcIssuerProfile.enabled is ${show(get(aks.props, ["oidcIssuerProfile", "enabled"]))}; set it to true` });
      if (get(aks.props, ["securityProfile", "workloadIdentity", "enabled"]) !== true) {
        out.push({ urn: aks.urn, message: `${describe(aks)}: securityProfile.workloadIdentity.enabled is ${show(get(aks.props, ["securityProfile", "workloadIdentity", "enabled"]))}; set it to true` });
      }
    }
    for (const eks of ofType(resources, types.eks)) {
      const provider = ofType(resources, types.oidcProvider).find((o) => dependsOn(o, eks, index));
      if (!provider) out.push({ urn: eks.urn, message: `${describe(eks)}: no aws:iam/openIdConnectProvider for this cluster's OIDC issuer (identities[0].oidcs[0].issuer); IRSA needs one` });
      else if (!asArray(provider.props.clientIdLists).includes("sts.amazonaws.com")) {
        out.push({ urn: provider.urn, message: `${describe(provider)}: clientIdLists is ${show(provider.props.clientIdLists)}; it must include sts.amazonaws.com` });
      }
    }
    return out;
  },
};

export const gkeNodeServiceAccount: ResourceRule = {
  kind: "resource",
  name: "gke-node-service-account",
  family: "cluster",
  level: "mandatory",
  description: "GKE nodes run as a dedicated service account, never the Compute Engine default account (which holds Editor on the project).",
  types: [types.gkeNodePool, types.gke],
  check(r) {
    const configs: [string, unknown][] =
      r.type === types.gkeNodePool
        ? [["nodeConfig", r.props.nodeConfig]]
        : [
            ...(r.props.removeDefaultNodePool === true ? [] : ([["nodeConfig", r.props.nodeConfig]] as [string, unknown][])),
            ...asArray(r.props.nodePools).map((pool, i): [string, unknown] => [`nodePools[${i}].nodeConfig`, get(pool, ["nodeConfig"])]),
          ];
    return configs
      .filter(([, config]) => {
        const account = get(config, ["serviceAccount"]);
        return typeof account !== "string" || account === "default" || account.endsWith("-compute@developer.gserviceaccount.com");
      })
      .map(([path, config]) => `${describe(r)}: ${path}.serviceAccount is ${show(get(config, ["serviceAccount"]))} (the Compute Engine default account); set a dedicated node service account`);
  },
};

export const nodeMetadataProtected: ResourceRule = {
  kind: "resource",
  name: "node-metadata-protected",
  family: "cluster",
  level: "mandatory",
  description:
    "Pods cannot read the node's cloud credentials: GKE workloadMetadataConfig mode GKE_METADATA; EKS launch templates with IMDSv2 required (httpTokens) and a hop limit of 1.",
  types: [types.gkeNodePool, types.launchTemplate],
  check(r) {
    if (r.type === types.gkeNodePool) {
      const mode = get(r.props, ["nodeConfig", "workloadMetadataConfig", "mode"]);
      return mode === "GKE_METADATA" ? [] : [`${describe(r)}: nodeConfig.workloadMetadataConfig.mode is ${show(mode)}; set it to GKE_METADATA`];
    }
    const options = asRecord(r.props.metadataOptions);
    const out: string[] = [];
    if (options.httpTokens !== "required") out.push(`${describe(r)}: metadataOptions.httpTokens is ${show(options.httpTokens)}; set it to "required" (IMDSv2)`);
    if (options.httpEndpoint !== "disabled" && Number(options.httpPutResponseHopLimit ?? 2) > 1) {
      out.push(`${describe(r)}: metadataOptions.httpPutResponseHopLimit is ${show(options.httpPutResponseHopLimit)}; set it to 1 so pods cannot reach the instance metadata`);
    }
    return out;
  },
};

export const nodesNoPublicIp: ResourceRule = {
  kind: "resource",
  name: "nodes-no-public-ip",
  family: "cluster",
  level: "mandatory",
  description:
    "Nodes have no public IP addresses: GKE private nodes, AKS pools without enableNodePublicIP, EKS launch templates that do not associate public addresses.",
  types: [types.gke, types.gkeNodePool, types.aks, types.aksAgentPool, types.launchTemplate],
  check(r) {
    const p = r.props;
    switch (r.type) {
      case types.gke: {
        const privateNodes = get(p, ["privateClusterConfig", "enablePrivateNodes"]);
        return privateNodes === true ? [] : [`${describe(r)}: privateClusterConfig.enablePrivateNodes is ${show(privateNodes)}; set it to true`];
      }
      case types.gkeNodePool:
        return get(p, ["networkConfig", "enablePrivateNodes"]) === false ? [`${describe(r)}: networkConfig.enablePrivateNodes is false; nodes would get public IPs`] : [];
      case types.aks:
        return asArray(p.agentPoolProfiles)
          .map((profile, i) => (get(profile, ["enableNodePublicIP"]) === true ? `${describe(r)}: agentPoolProfiles[${i}].enableNodePublicIP is true; set it to false` : undefined))
          .filter((m): m is string => m !== undefined);
      case types.aksAgentPool:
        return p.enableNodePublicIP === true ? [`${describe(r)}: enableNodePublicIP is true; set it to false`] : [];
    }
    return asArray(p.networkInterfaces)
      .map((nic, i) => (truthy(get(nic, ["associatePublicIpAddress"])) ? `${describe(r)}: networkInterfaces[${i}].associatePublicIpAddress is true; nodes run in private subnets` : undefined))
      .filter((m): m is string => m !== undefined);
  },
};

export const eksSecretsEncryption: ResourceRule = {
  kind: "resource",
  name: "eks-secrets-encryption",
  family: "cluster",
  level: "mandatory",
  description: "EKS encrypts Kubernetes Secrets with a KMS key (encryptionConfig.resources includes secrets, provider.keyArn set).",
  types: [types.eks],
  check(r) {
    const config = asRecord(r.props.encryptionConfig);
    const resources = asArray(config.resources);
    const key = get(config, ["provider", "keyArn"]);
    if (!resources.includes("secrets") || typeof key !== "string" || key === "") {
      return [`${describe(r)}: encryptionConfig is ${show(r.props.encryptionConfig)}; set resources ["secrets"] with provider.keyArn`];
    }
    return [];
  },
};

export const aksLocalAccountsDisabled: ResourceRule = {
  kind: "resource",
  name: "aks-local-accounts-disabled",
  family: "cluster",
  level: "mandatory",
  description: "AKS has local (certificate) accounts disabled and Entra ID integration with Kubernetes RBAC, so every access is an identity that can be revoked.",
  types: [types.aks],
  check(r) {
    const p = r.props;
    const out: string[] = [];
    if (p.disableLocalAccounts !== true) out.push(`${describe(r)}: disableLocalAccounts is ${show(p.disableLocalAccounts)}; set it to true`);
    if (get(p, ["aadProfile", "managed"]) !== true) out.push(`${describe(r)}: aadProfile.managed is ${show(get(p, ["aadProfile", "managed"]))}; integrate Entra ID`);
    if (p.enableRBAC === false) out.push(`${describe(r)}: enableRBAC is false; set it to true`);
    return out;
  },
};

function openRanges(ranges: unknown[]): boolean {
  return ranges.map(String).some((range) => range === "0.0.0.0/0" || range === "::/0");
}

export const clusterApiAccessRestricted: ResourceRule = {
  kind: "resource",
  name: "cluster-api-access-restricted",
  family: "cluster",
  level: "advisory",
  description:
    "The Kubernetes API is not open to the whole internet: a private endpoint or a non-empty list of authorized ranges without 0.0.0.0/0 (GKE masterAuthorizedNetworksConfig, EKS publicAccessCidrs, AKS apiServerAccessProfile.authorizedIPRanges).",
  types: [types.gke, types.eks, types.aks],
  check(r) {
    const p = r.props;
    if (r.type === types.gke) {
      if (get(p, ["privateClusterConfig", "enablePrivateEndpoint"]) === true) return [];
      const ranges = asArray(get(p, ["masterAuthorizedNetworksConfig", "cidrBlocks"])).map((b) => get(b, ["cidrBlock"]));
      return ranges.length > 0 && !openRanges(ranges) ? [] : [`${describe(r)}: masterAuthorizedNetworksConfig.cidrBlocks is ${show(ranges)}; list the ranges allowed to reach the API`];
    }
    if (r.type === types.eks) {
      const vpc = asRecord(p.vpcConfig);
      if (vpc.endpointPublicAccess === false) return [];
      const ranges = asArray(vpc.publicAccessCidrs);
      return ranges.length > 0 && !openRanges(ranges)
        ? []
        : [`${describe(r)}: vpcConfig.publicAccessCidrs is ${show(vpc.publicAccessCidrs)} (unset means 0.0.0.0/0); list the ranges allowed to reach the API`];
    }
    const access = asRecord(p.apiServerAccessProfile);
    if (access.enablePrivateCluster === true) return [];
    const ranges = asArray(access.authorizedIPRanges);
    return ranges.length > 0 && !openRanges(ranges) ? [] : [`${describe(r)}: apiServerAccessProfile.authorizedIPRanges is ${show(access.authorizedIPRanges)}; list the ranges allowed to reach the API`];
  },
};

export const clusterDeletionProtection: ResourceRule = {
  kind: "resource",
  name: "cluster-deletion-protection",
  family: "cluster",
  level: "mandatory",
  description:
    "In production, GKE and EKS clusters have deletion protection on (GKE deletionProtection, EKS deletionProtection). AKS has no such setting; its cluster holds no data and stays replaceable.",
  types: [types.gke, types.eks],
  check(r, context) {
    if (!isProduction(context)) return [];
    // GKE's provider-side guard defaults to true; EKS's defaults to false.
    const on = r.type === types.gke ? r.props.deletionProtection !== false : truthy(r.props.deletionProtection);
    return on ? [] : [`${describe(r)}: deletionProtection is ${show(r.props.deletionProtection)}; set it to true in production`];
  },
};

export const clusterRules = [
  nodePoolsGitpodLabels,
  networkPolicyEnabled,
  workloadIdentityEnabled,
  gkeNodeServiceAccount,
  nodeMetadataProtected,
  nodesNoPublicIp,
  eksSecretsEncryption,
  aksLocalAccountsDisabled,
  clusterApiAccessRestricted,
  clusterDeletionProtection,
];
