import { fakeSecretMarker } from "./random";
import { CloudFakes } from "./types";

/** Fake computed outputs and calls for GCP resources in the offline plan. */
export const gcpFakes: CloudFakes = {
  outputs: {
    "gcp:container/cluster:Cluster": (inputs, name) => ({
      name: inputs.name ?? name,
      endpoint: "203.0.113.10",
      masterVersion: `${inputs.minMasterVersion ?? "1.33"}.0-gke.0`,
      masterAuth: { ...inputs.masterAuth, clusterCaCertificate: Buffer.from("offline-plan-ca").toString("base64") },
    }),
    "gcp:container/nodePool:NodePool": (inputs, name) => ({ name: inputs.name ?? name }),
    "gcp:sql/databaseInstance:DatabaseInstance": (inputs, name) => ({
      name: inputs.name ?? name,
      connectionName: `offline-project:${inputs.region}:${inputs.name ?? name}`,
      privateIpAddress: "10.100.0.3",
    }),
    "gcp:sql/user:User": (inputs) => ({ name: inputs.name }),
    "gcp:serviceaccount/account:Account": (inputs) => ({
      name: `projects/offline-project/serviceAccounts/${inputs.accountId}@offline-project.iam.gserviceaccount.com`,
      email: `${inputs.accountId}@offline-project.iam.gserviceaccount.com`,
    }),
    "gcp:serviceaccount/key:Key": (_inputs, name) => ({
      privateKey: Buffer.from(JSON.stringify({ type: "service_account", private_key: `${fakeSecretMarker}-${name}` })).toString("base64"),
    }),
    "gcp:projects/iAMCustomRole:IAMCustomRole": (inputs) => ({ name: `projects/offline-project/roles/${inputs.roleId}` }),
    "gcp:dns/managedZone:ManagedZone": (inputs, name) => ({
      name: inputs.name ?? name,
      nameServers: ["ns-cloud-a1.googledomains.com.", "ns-cloud-a2.googledomains.com.", "ns-cloud-a3.googledomains.com.", "ns-cloud-a4.googledomains.com."],
    }),
    "gcp:artifactregistry/repository:Repository": (inputs) => ({ name: inputs.repositoryId }),
    "gcp:compute/globalAddress:GlobalAddress": (inputs, name) => ({ name: inputs.name ?? name, address: "10.100.0.0" }),
    "gcp:compute/router:Router": (inputs, name) => ({ name: inputs.name ?? name }),
  },
  calls: {
    "gcp:organizations/getProject:getProject": (inputs) => ({ projectId: inputs.projectId, number: "123456789012" }),
  },
};
