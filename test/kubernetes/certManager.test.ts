/** The transform that keeps cert-manager's CRDs (and so every Certificate) when the chart is removed or replaced. */
import { retainCustomResourceDefinitions } from "../../components/kubernetes/certManager";

const crd = "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition";

test("CRDs rendered from the chart are retained on delete, keeping their other options", async () => {
  const result = await retainCustomResourceDefinitions({
    custom: true,
    type: crd,
    name: "cert-manager:certificates.cert-manager.io",
    props: { metadata: { name: "certificates.cert-manager.io" } },
    opts: { ignoreChanges: ["metadata.annotations"] },
  });
  expect(result?.opts).toMatchObject({ retainOnDelete: true, ignoreChanges: ["metadata.annotations"] });
  expect(result?.props).toEqual({ metadata: { name: "certificates.cert-manager.io" } });
});

test.each(["kubernetes:apps/v1:Deployment", "kubernetes:core/v1:ServiceAccount", "kubernetes:apiextensions.k8s.io/v1beta1:Other"])(
  "%s is left alone",
  async (type) => {
    expect(await retainCustomResourceDefinitions({ custom: true, type, name: "x", props: {}, opts: {} })).toBeUndefined();
  },
);
