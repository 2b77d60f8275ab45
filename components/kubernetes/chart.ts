import * as k8s from "../../providers/sdk/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { PinnedChart } from "./versions";

/**
 * A chart pinned in versions.ts, as a helm.sh/v4 Chart (each rendered object its own resource, see
 * docs/kubernetes.md) in the tool's namespace: how the layer installs every chart.
 */
export function pinnedChart(
  name: string,
  pin: PinnedChart,
  namespace: pulumi.Input<string>,
  values: k8s.helm.v4.ChartArgs["values"],
  opts: pulumi.ComponentResourceOptions,
): k8s.helm.v4.Chart {
  return new k8s.helm.v4.Chart(
    name,
    { name: pin.chart, chart: pin.chart, version: pin.version, repositoryOpts: { repo: pin.repository }, namespace, values },
    opts,
  );
}
