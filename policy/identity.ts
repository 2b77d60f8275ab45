/**
 * Identities: the in-cluster tools (cert-manager, external-dns, Velero) act on the cloud through workload identity,
 * never through static keys, and nothing gets owner-like roles.
 */
import { inClusterTools } from "../components/platform";
import { asRecord, byUrn, chartName, Cloud, dependenciesOf, describe, get, helmTypes, kubernetesName, ofType, policyStatements, ResourceRule, ResourceView, show, StackRule, Violation } from "./lib";

/** Resources that are long-lived secrets of a cloud identity. */
export const staticKeyTypes = [
  "gcp:serviceaccount/key:Key",
  "aws:iam/accessKey:AccessKey",
  "azuread:index/servicePrincipalPassword:ServicePrincipalPassword",
  "azuread:index/applicationPassword:ApplicationPassword",
  "azuread:index/servicePrincipalCertificate:ServicePrincipalCertificate",
];

const tools = Object.values(inClusterTools);
const toolNamespaces: string[] = tools.map((t) => t.namespace);
/** The tools' Helm charts by chart name, with where each chart takes its service account's annotations. */
const toolCharts: Record<string, { serviceAccountPath: string[] }> = {
  "cert-manager": { serviceAccountPath: ["serviceAccount"] },
  "external-dns": { serviceAccountPath: ["serviceAccount"] },
  velero: { serviceAccountPath: ["serviceAccount", "server"] },
};

/** A Kubernetes object or Helm release of one of the tools. */
function belongsToTool(r: ResourceView): boolean {
  if (helmTypes.includes(r.type)) return (chartName(r.props) ?? "") in toolCharts || toolNamespaces.includes(String(r.props.namespace));
  return r.type.startsWith("kubernetes:") && toolNamespaces.includes(kubernetesName(r.props).namespace ?? "");
}

const workloadIdentityUser = "roles/iam.workloadIdentityUser";

export const noStaticKeysForClusterTools: StackRule = {
  kind: "stack",
  name: "no-static-keys-for-cluster-tools",
  family: "identity",
  level: "mandatory",
  description:
    "No static cloud key (GCP service account key, AWS access key, Entra client secret) is handed to cert-manager, external-dns or Velero, nor created for a Google service account they use through workload identity. Clusters outside the three clouds (cloud `existing`) are exempt: they have no workload identity.",
  check(resources, context) {
    if (context.cloud === "existing") return [];
    const index = byUrn(resources);
    const out: Violation[] = [];
    for (const r of resources.filter(belongsToTool)) {
      for (const key of dependenciesOf(r, index).filter((d) => staticKeyTypes.includes(d.type))) {
        out.push({ urn: r.urn, message: `${describe(r)}: takes the static key ${describe(key)} as input; bind the tool's service account to its cloud identity instead` });
      }
    }
    // A Google service account trusted by a tool's Kubernetes service account must have no keys at all.
    const toolMembers = ofType(resources, "gcp:serviceaccount/iAMMember:IAMMember").filter(
      (m) => m.props.role === workloadIdentityUser && toolNamespaces.some((ns) => String(m.props.member ?? "").includes(`[${ns}/`)),
    );
    for (const key of ofType(resources, "gcp:serviceaccount/key:Key")) {
      const member = toolMembers.find(
        (m) => (m.props.serviceAccountId !== undefined && m.props.serviceAccountId === key.props.serviceAccountId) || m.dependencies.some((d) => key.dependencies.includes(d)),
      );
      if (member) {
        out.push({ urn: key.urn, message: `${describe(key)}: a key (serviceAccountId ${show(key.props.serviceAccountId)}) for the account that ${show(member.props.member)} uses through workload identity; delete it` });
      }
    }
    return out;
  },
};

/** Setting names under which charts and credential files carry a static cloud secret. */
const credentialKeys = /^(aws_secret_access_key|secretAccessKey|secretKey|aadClientSecret|clientSecret|AZURE_CLIENT_SECRET|AZURE_CLIENT_CERTIFICATE|serviceAccountKey|private_key|privateKey|credentials\.json|key\.json)$/i;
/** Credential material inside a string: an AWS access key id, a PEM private key, a GCP key file, KEY=value secrets. */
const credentialText = [
  /\b(AKIA|ASIA)[0-9A-Z]{16}\b/,
  /-----BEGIN (RSA |EC )?PRIVATE KEY-----/,
  /"type"\s*:\s*"service_account"/,
  /^\s*(aws_secret_access_key|AZURE_CLIENT_SECRET)\s*=\s*\S/m,
];

/** Paths of credentials in plain data; values CrossGuard cannot know yet (preview) are skipped. */
export function credentialPaths(value: unknown, at: string): string[] {
  const found: string[] = [];
  const visit = (v: unknown, path: string, key: string) => {
    if (typeof v === "string") {
      if ((credentialKeys.test(key) && v !== "") || credentialText.some((pattern) => pattern.test(v))) found.push(path);
      return;
    }
    if (v === null || typeof v !== "object") return;
    for (const k of Object.keys(v)) {
      let child: unknown;
      try {
        child = (v as Record<string, unknown>)[k];
      } catch (e) {
        if (e instanceof Error && e.constructor.name === "UnknownValueError") continue;
        throw e;
      }
      visit(child, Array.isArray(v) ? `${path}[${k}]` : `${path}.${k}`, k);
    }
  };
  visit(value, at, "");
  return found;
}

export const noCredentialsInClusterTools: ResourceRule = {
  kind: "resource",
  name: "no-credentials-in-cluster-tools",
  family: "identity",
  level: "mandatory",
  description:
    "The Helm values of cert-manager, external-dns and Velero and the Secrets in their namespaces hold no cloud credentials (secret access keys, client secrets, service account key files, private keys). Clusters outside the three clouds (cloud `existing`) are exempt.",
  types: [...helmTypes, "kubernetes:core/v1:Secret"],
  check(r, context) {
    // A cluster outside the three clouds (`existing`) has no workload identity: its stores take credentials by design.
    if (context.cloud === "existing") return [];
    if (helmTypes.includes(r.type)) {
      if (!((chartName(r.props) ?? "") in toolCharts)) return [];
      return credentialPaths(r.props.values, "values").map((path) => `${describe(r)}: ${path} holds a cloud credential; bind the chart's service account to a cloud identity instead`);
    }
    if (!toolNamespaces.includes(kubernetesName(r.props).namespace ?? "")) return [];
    // `data` values are base64: scan what they decode to.
    const data = Object.fromEntries(Object.entries(asRecord(r.props.data)).map(([k, v]) => [k, typeof v === "string" ? Buffer.from(v, "base64").toString("utf8") : v]));
    return [...credentialPaths(data, "data"), ...credentialPaths(r.props.stringData, "stringData")].map(
      (path) => `${describe(r)}: ${path} holds a cloud credential in the ${kubernetesName(r.props).namespace} namespace; use workload identity`,
    );
  },
};

/** What binds a Kubernetes service account to the cloud identity, per cloud. */
const identityAnnotation: Record<Exclude<Cloud, "existing">, string> = {
  gcp: "iam.gke.io/gcp-service-account",
  aws: "eks.amazonaws.com/role-arn",
  azure: "azure.workload.identity/client-id",
};
const azurePodLabel = "azure.workload.identity/use";

export const clusterToolsWorkloadIdentity: ResourceRule = {
  kind: "resource",
  name: "cluster-tools-workload-identity",
  family: "identity",
  level: "mandatory",
  description:
    "The service accounts of cert-manager, external-dns and Velero carry the cloud's workload-identity annotation (iam.gke.io/gcp-service-account, eks.amazonaws.com/role-arn, azure.workload.identity/client-id with the azure.workload.identity/use pod label), in the chart values and on ServiceAccount objects.",
  types: [...helmTypes, "kubernetes:core/v1:ServiceAccount"],
  check(r, context) {
    if (context.cloud === "existing") return [];
    const expected = context.cloud ? [identityAnnotation[context.cloud]] : Object.values(identityAnnotation);
    const missing = (annotations: unknown) => !expected.some((a) => typeof asRecord(annotations)[a] === "string" && asRecord(annotations)[a] !== "");
    const out: string[] = [];
    if (r.type === "kubernetes:core/v1:ServiceAccount") {
      const { namespace, name } = kubernetesName(r.props);
      if (!tools.some((t) => t.namespace === namespace && t.serviceAccount === name)) return [];
      if (missing(get(r.props, ["metadata", "annotations"]))) out.push(`${describe(r)}: metadata.annotations lacks ${expected.join(" or ")}`);
      return out;
    }
    const chart = chartName(r.props) ?? "";
    const spec = toolCharts[chart];
    if (!spec) return [];
    const serviceAccount = asRecord(get(r.props, ["values", ...spec.serviceAccountPath]));
    // A chart told not to create its service account leaves the check to the ServiceAccount object.
    if (serviceAccount.create === false) return [];
    const path = ["values", ...spec.serviceAccountPath, "annotations"].join(".");
    if (missing(serviceAccount.annotations)) out.push(`${describe(r)}: ${path} lacks ${expected.join(" or ")}; the ${chart} chart's service account must be bound to its cloud identity`);
    if (context.cloud === "azure" && get(r.props, ["values", "podLabels", azurePodLabel]) !== "true") {
      out.push(`${describe(r)}: values.podLabels["${azurePodLabel}"] is ${show(get(r.props, ["values", "podLabels", azurePodLabel]))}; set it to "true"`);
    }
    return out;
  },
};

/** Roles that amount to owning the project, account or subscription. */
const broadGcpRoles = ["roles/owner", "roles/editor", "roles/iam.securityAdmin", "roles/resourcemanager.projectIamAdmin"];
const broadAwsPolicies = ["AdministratorAccess", "PowerUserAccess", "IAMFullAccess"];
/** Built-in Azure role definition GUIDs: Owner, Contributor, User Access Administrator, Role Based Access Control Administrator. */
const broadAzureRoles: Record<string, string> = {
  "8e3af657-a8ff-443c-a75c-2fe8c4bcb635": "Owner",
  "b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
  "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": "User Access Administrator",
  "f58310d9-a9f6-439a-9e8d-f62e7b41a168": "Role Based Access Control Administrator",
};

export const noBroadAdminRoles: ResourceRule = {
  kind: "resource",
  name: "no-broad-admin-roles",
  family: "identity",
  level: "mandatory",
  description:
    "No identity the stack creates gets owner-like rights: GCP roles/owner or roles/editor, AWS AdministratorAccess-like managed policies or inline Action \"*\" on Resource \"*\", Azure Owner, Contributor or User Access Administrator.",
  types: [
    "gcp:projects/iAMMember:IAMMember",
    "gcp:projects/iAMBinding:IAMBinding",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:iam/userPolicyAttachment:UserPolicyAttachment",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/userPolicy:UserPolicy",
    "azure-native:authorization:RoleAssignment",
  ],
  check(r) {
    const p = r.props;
    if (r.type.startsWith("gcp:")) {
      return broadGcpRoles.includes(String(p.role)) ? [`${describe(r)}: role is ${show(p.role)}; grant a narrow predefined or custom role`] : [];
    }
    if (r.type.endsWith("PolicyAttachment")) {
      const name = String(p.policyArn ?? "").split("/").pop() ?? "";
      return broadAwsPolicies.includes(name) ? [`${describe(r)}: policyArn is ${show(p.policyArn)}; attach a least-privilege policy`] : [];
    }
    if (r.type.startsWith("aws:")) {
      const statements = policyStatements(p.policy);
      const everything = (value: unknown) => value === "*" || (Array.isArray(value) && value.includes("*"));
      return statements.some((s) => s.Effect === "Allow" && everything(s.Action) && everything(s.Resource))
        ? [`${describe(r)}: policy allows Action "*" on Resource "*"; list the actions and resources`]
        : [];
    }
    const role = String(p.roleDefinitionId ?? "").split("/").pop() ?? "";
    return role in broadAzureRoles ? [`${describe(r)}: roleDefinitionId is ${broadAzureRoles[role]} (${role}); assign a narrow built-in or custom role`] : [];
  },
};

export const identityRules = [noStaticKeysForClusterTools, noCredentialsInClusterTools, clusterToolsWorkloadIdentity, noBroadAdminRoles];
