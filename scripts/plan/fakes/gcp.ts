import { fakeSecretMarker } from "./random";
import { CloudFakes } from "./types";
import { standIn } from "../standIns";

const project = standIn("GCP project id", "offline-project");
const projectNumber = standIn("GCP project number", "100000000001");
const nameServers = [1, 2, 3, 4].map((i) => standIn(`name server ${i}`, `ns-offline-${i}.example.net.`));

/** Fake computed outputs and calls for GCP resources in the offline plan. */
export const gcpFakes: CloudFakes = {
  outputs: {
    "gcp:container/cluster:Cluster": (inputs, name) => ({
      name: inputs.name ?? name,
      endpoint: standIn("cluster endpoint", "203.0.113.10"),
      masterVersion: `${inputs.minMasterVersion ?? "1.33"}.0-gke.0`,
      masterAuth: { ...inputs.masterAuth, clusterCaCertificate: Buffer.from("offline-plan-ca").toString("base64") },
      controlPlaneEndpointsConfig: {
        dnsEndpointConfig: { ...inputs.controlPlaneEndpointsConfig?.dnsEndpointConfig, endpoint: `gke-0123456789abcdef-${inputs.name ?? name}.europe-west1.gke.goog` },
      },
    }),
    "gcp:container/nodePool:NodePool": (inputs, name) => ({ name: inputs.name ?? name }),
    "gcp:sql/databaseInstance:DatabaseInstance": (inputs, name) => ({
      name: inputs.name ?? name,
      connectionName: `${project}:${inputs.region}:${inputs.name ?? name}`,
      privateIpAddress: standIn("database private IP", "10.100.0.3"),
      // GOOGLE_MANAGED_CAS_CA instances have a DNS name; the per-instance CA's do not.
      dnsName: inputs.settings?.ipConfiguration?.serverCaMode === "GOOGLE_MANAGED_CAS_CA" ? `0123456789ab.${inputs.region}.sql.goog.` : "",
      serverCaCerts: [{ cert: "-----BEGIN CERTIFICATE-----\nb2ZmbGluZS1wbGFuLXNxbC1jYQ==\n-----END CERTIFICATE-----", commonName: "offline-plan-ca" }],
    }),
    "gcp:projects/serviceIdentity:ServiceIdentity": (inputs) => ({
      email: `service-${projectNumber}@container-engine-robot.iam.gserviceaccount.com`,
      member: `serviceAccount:service-${projectNumber}@container-engine-robot.iam.gserviceaccount.com`,
      service: inputs.service,
    }),
    "gcp:sql/user:User": (inputs) => ({ name: inputs.name }),
    "gcp:serviceaccount/account:Account": (inputs) => ({
      name: `projects/${project}/serviceAccounts/${inputs.accountId}@${project}.iam.gserviceaccount.com`,
      email: `${inputs.accountId}@${project}.iam.gserviceaccount.com`,
    }),
    "gcp:serviceaccount/key:Key": (_inputs, name) => ({
      privateKey: Buffer.from(JSON.stringify({ type: "service_account", private_key: `${fakeSecretMarker}-${name}` })).toString("base64"),
    }),
    "gcp:projects/iAMCustomRole:IAMCustomRole": (inputs) => ({ name: `projects/${project}/roles/${inputs.roleId}` }),
    "gcp:dns/managedZone:ManagedZone": (inputs, name) => ({
      name: inputs.name ?? name,
      nameServers,
    }),
    "gcp:artifactregistry/repository:Repository": (inputs) => ({ name: inputs.repositoryId }),
    "gcp:compute/globalAddress:GlobalAddress": (inputs, name) => ({ name: inputs.name ?? name, address: "10.100.0.0" }),
    "gcp:compute/router:Router": (inputs, name) => ({ name: inputs.name ?? name }),
  },
  calls: {
    "gcp:organizations/getProject:getProject": (inputs) => ({ projectId: inputs.projectId, number: projectNumber }),
    // What a project without a policy of its own answers: nothing set, the organisation's policy applies.
    // A cross-region replica as it is before a failover promotes it (components/gcp/databaseReplica.ts).
    "gcp:sql/getDatabaseInstance:getDatabaseInstance": (inputs) => ({ name: inputs.name, project: inputs.project, instanceType: "READ_REPLICA_INSTANCE" }),
    "gcp:projects/getOrganizationPolicy:getOrganizationPolicy": (inputs) => ({ project: inputs.project, constraint: inputs.constraint, booleanPolicies: [] }),
  },
};
