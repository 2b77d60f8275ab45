/** The manual steps of a region loss, per cloud (scripts/recover/regionLoss.ts). */
import { regionLossLines, regionLossSteps } from "../../scripts/recover/regionLoss";

test.each(Object.keys(regionLossSteps))("%s: the steps before the rebuild come first, numbered in that order", (cloud) => {
  const lines = regionLossLines(cloud);
  const whens = lines.map((line) => /^\d+\. \[(before|after) the rebuild\]/.exec(line)?.[1]);
  expect(whens.lastIndexOf("before")).toBeLessThan(whens.indexOf("after"));
  expect(lines.map((line) => Number(line.split(".")[0]))).toEqual(lines.map((_, index) => index + 1));
  expect(whens.filter((when) => when === "after").length).toBeGreaterThan(0);
});

test("a cloud that places nothing in a region has no region-loss steps of its own", () => {
  expect(regionLossLines("existing")).toEqual([expect.stringContaining("recover it as a lost cluster")]);
});
