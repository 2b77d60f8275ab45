import { minimumNode } from "./facts";
import { Report } from "./report";

/** A node pool's machine must have Gitpod's minimum of 4 vCPU and 16 GB (reference architecture). */
export function checkNodeSize(path: (string | number)[], machineType: string, size: { vcpus: number; memoryGb?: number }, report: Report): void {
  const tooFewCpus = size.vcpus < minimumNode.vcpus;
  const tooLittleMemory = size.memoryGb !== undefined && size.memoryGb < minimumNode.memoryGb;
  if (!tooFewCpus && !tooLittleMemory) return;
  const has = `${size.vcpus} vCPU${size.memoryGb === undefined ? "" : ` / ${+size.memoryGb.toFixed(2)} GB`}`;
  report.problem(path, machineType, `has ${has}: Gitpod's node pools need at least ${minimumNode.vcpus} vCPU and ${minimumNode.memoryGb} GB`);
}
