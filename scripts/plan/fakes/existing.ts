import { gitpodNodeLabels } from "../../../components/platform";
import { CloudFakes } from "./types";

/**
 * What the offline plan answers for an existing cluster. The platform reads each listed node to check its Gitpod
 * labels; offline there is no cluster, so a node reads as the stack's docs tell the operator to prepare it: carrying
 * the labels of every role (a single k3s node installed with the --node-label flags of docs/existing-cluster.md).
 * It has no status, so the check of the node's distribution (its kubelet version) is skipped offline. Both checks
 * are tested against other node readings in test/existing.
 */
export const existingFakes: CloudFakes = {
  outputs: {
    "kubernetes:core/v1:Node": (inputs) => ({
      ...inputs,
      metadata: { labels: Object.assign({ "node-role.kubernetes.io/control-plane": "true" }, ...Object.values(gitpodNodeLabels)) },
    }),
  },
  calls: {},
};
