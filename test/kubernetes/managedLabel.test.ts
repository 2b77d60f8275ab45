/** The one label Velero selects Pulumi's objects out by: set on every object the program declares, in one place. */
import * as pulumi from "@pulumi/pulumi";
import { labelManagedObjects } from "../../components/managedLabel";
import { committedStacks } from "../../scripts/plan/stackFile";
import { committedPlan, valueOf } from "../helpers";

const transform = (type: string, props: Record<string, unknown>) => labelManagedObjects({ type, name: "x", props, opts: {}, resource: undefined as never });

test("the transformation adds the label to an object without it, keeps its other labels, and leaves charts alone", async () => {
  const result = transform("kubernetes:core/v1:ConfigMap", { metadata: { name: "c", labels: { app: "gitpod" } }, data: {} });
  expect(await valueOf(pulumi.output(result!.props.metadata))).toEqual({ name: "c", labels: { app: "gitpod", "app.kubernetes.io/managed-by": "pulumi" } });
  expect(transform("kubernetes:helm.sh/v4:Chart", { chart: "velero" })).toBeUndefined();
  expect(transform("gcp:storage/bucket:Bucket", { labels: {} })).toBeUndefined();
  expect(transform("kubernetes:core/v1:Secret", { metadata: { name: "s", labels: { "app.kubernetes.io/managed-by": "pulumi" } } })).toBeUndefined();
});

test.each(committedStacks())("every Kubernetes object of stack %s carries app.kubernetes.io/managed-by: pulumi", async (stack) => {
  const plan = await committedPlan(stack);
  const objects = plan.resources.filter((r) => r.custom && r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:helm.sh/") && r.inputs.metadata);
  expect(objects.length).toBeGreaterThan(10);
  const unlabelled = objects.filter((r) => (r.inputs.metadata as { labels?: Record<string, string> }).labels?.["app.kubernetes.io/managed-by"] !== "pulumi");
  expect(unlabelled.map((r) => r.urn)).toEqual([]);
});
