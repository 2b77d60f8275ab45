import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/**
 * A directory for the plans the suites share (test/helpers.ts, sharedPlan), removed by test/globalTeardown.ts. The
 * suites plan on demand: planning every committed stack here, in jest's main process, loaded the program and the SDKs
 * once more, before the workers started.
 */
export default function globalSetup(): void {
  process.env.GITPOD_PLATFORM_TEST_PLANS = fs.mkdtempSync(path.join(os.tmpdir(), "gitpod-platform-plans-"));
}
