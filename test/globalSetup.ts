import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { planStack } from "../scripts/plan/run";
import { committedStacks } from "../scripts/plan/stackFile";
import { standInEntries } from "../scripts/plan/standIns";

/**
 * Plans every committed stack once, before the suites run, and leaves the plans as JSON for `committedPlan`:
 * many suites check the same committed plans, and planning each again in every suite would load the whole
 * program and its SDKs each time.
 */
export default async function globalSetup(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gitpod-platform-plans-"));
  for (const stack of committedStacks()) {
    try {
      fs.writeFileSync(path.join(dir, `${stack}.json`), JSON.stringify(await planStack(stack)));
    } catch {
      // Left out: the suites that need this stack plan it themselves and fail there, with the error in context.
    }
  }
  // The values the fakes invented while planning, for the suites that check how the plan marks them.
  fs.writeFileSync(path.join(dir, "stand-ins.json"), JSON.stringify(standInEntries()));
  process.env.GITPOD_PLATFORM_TEST_PLANS = dir;
}
