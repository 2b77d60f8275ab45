/** The transform that keeps cert-manager's CRDs (and so every Certificate) when the chart is removed or replaced. */
import { retainCustomResourceDefinitions, waitForInjectedCaBundle } from "../../components/kubernetes/certManager";

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

test.each(["ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"])(
  "cert-manager's %s is awaited until cainjector has written its caBundle (m5: the first ClusterIssuer would fail with x509)",
  async (kind) => {
    const result = await waitForInjectedCaBundle({
      custom: true,
      type: `kubernetes:admissionregistration.k8s.io/v1:${kind}`,
      name: "cert-manager:cert-manager-webhook",
      props: { metadata: { name: "cert-manager-webhook", annotations: { "cert-manager.io/inject-ca-from-secret": "cert-manager/cert-manager-webhook-ca" } } },
      opts: {},
    });
    expect((result?.props.metadata as any).annotations).toEqual({
      "cert-manager.io/inject-ca-from-secret": "cert-manager/cert-manager-webhook-ca",
      "pulumi.com/waitFor": "jsonpath={.webhooks[0].clientConfig.caBundle}",
    });
    expect(await waitForInjectedCaBundle({ custom: true, type: "kubernetes:apps/v1:Deployment", name: "x", props: {}, opts: {} })).toBeUndefined();
  },
);
