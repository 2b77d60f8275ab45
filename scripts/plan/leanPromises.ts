/**
 * The Pulumi SDK passes every promise it makes through runtime/debuggable.js's debuggablePromise: it adds the promise
 * to the leak candidates that the SDK checks when the process exits, and it defines three properties on the promise
 * (an id, a label and a stack trace) that only PULUMI_DEBUG_PROMISE_LEAKS prints. During the offline plan stack
 * traces are off (run.ts), so that trace is empty; defining the properties was still about a fifth of a plan's CPU
 * time (a plan makes tens of thousands of these promises). While a plan runs, the SDK gets a wrapper that keeps the
 * leak bookkeeping and leaves the properties out. The module is internal and has no declarations: its shape is
 * checked before it is touched (and by test/plan/leanPromises.test.ts), and anything else leaves the SDK as it is.
 */

type Wrap = (promise: Promise<unknown>, label: string) => Promise<unknown>;
interface Debuggable {
  debuggablePromise: Wrap;
}
interface State {
  getStore(): { leakCandidates: Set<Promise<unknown>> };
}

/* eslint-disable @typescript-eslint/no-require-imports -- internal modules of the pinned SDK, without declarations */
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as Partial<Debuggable>;
const state = require("@pulumi/pulumi/runtime/state") as Partial<State>;
/* eslint-enable @typescript-eslint/no-require-imports */

/** The SDK's modules as this file expects them, or undefined. */
export function sdkPromiseModules(): { debuggable: Debuggable; state: State } | undefined {
  if (typeof debuggable.debuggablePromise !== "function" || typeof state.getStore !== "function") return undefined;
  if (!(state.getStore().leakCandidates instanceof Set)) return undefined;
  return { debuggable: debuggable as Debuggable, state: state as State };
}

/** debuggablePromise without the debug properties: the same promise chain and leak bookkeeping. */
function leanDebuggablePromise(modules: { state: State }): Wrap {
  return (promise) => {
    const { leakCandidates } = modules.state.getStore();
    leakCandidates.add(promise);
    return promise
      .then((value) => {
        leakCandidates.delete(promise);
        return value;
      })
      .catch((err: { promise?: unknown }) => {
        leakCandidates.delete(promise);
        err.promise = promise;
        throw err;
      });
  };
}

/** True while a plan runs with the lean wrapper. */
let running = false;

/**
 * Runs `plan` with the lean wrapper and puts the SDK's own back afterwards. The SDK's own runs once first: it schedules
 * the leak check at exit, which a plan that leaks promises must still fail.
 */
export async function withLeanPromises<T>(plan: () => Promise<T>): Promise<T> {
  const modules = sdkPromiseModules();
  // A plan inside a plan (never done: the mock runtime is global) would otherwise put the lean wrapper back last.
  if (!modules || process.env.PULUMI_DEBUG_PROMISE_LEAKS || running) return plan();
  const own = modules.debuggable.debuggablePromise;
  await own(Promise.resolve(), "the leak check at exit");
  modules.debuggable.debuggablePromise = leanDebuggablePromise(modules);
  running = true;
  try {
    return await plan();
  } finally {
    running = false;
    modules.debuggable.debuggablePromise = own;
  }
}
