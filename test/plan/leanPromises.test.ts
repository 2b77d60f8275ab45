/**
 * The offline plan runs the program with a lean version of the SDK's promise wrapper (scripts/plan/leanPromises.ts):
 * no debug properties, the same leak bookkeeping, the SDK's own wrapper back afterwards.
 */
import { sdkPromiseModules } from "../../scripts/plan/leanPromises";
import { planComponent } from "../helpers";

const modules = sdkPromiseModules();

test("the SDK's internal promise wrapper and leak candidates have the shape the plan expects", () => {
  // When this fails after an SDK upgrade, the plan runs with the SDK's own wrapper: slower, never wrong. Re-read
  // @pulumi/pulumi runtime/debuggable.js and adapt leanPromises.ts.
  expect(modules).toBeDefined();
});

test("during a plan the SDK's promises get no debug properties and stay leak candidates until they settle", async () => {
  const { debuggable, state } = modules!;
  const own = debuggable.debuggablePromise;
  const pending = new Promise<never>(() => undefined);
  const settled = Promise.resolve(1);
  let candidates: Set<Promise<unknown>> = new Set();
  let wrapped: Promise<unknown> | undefined;
  await planComponent(() => {
    expect(debuggable.debuggablePromise).not.toBe(own);
    debuggable.debuggablePromise(pending, "never settles");
    wrapped = debuggable.debuggablePromise(settled, "settles");
    candidates = state.getStore().leakCandidates;
    expect(candidates.has(pending)).toBe(true);
  });
  await expect(wrapped).resolves.toBe(1);
  expect(candidates.has(settled)).toBe(false);
  expect(candidates.has(pending)).toBe(true);
  candidates.delete(pending); // not a leak of the suite's process
  expect(Object.getOwnPropertyNames(pending)).toEqual([]);
  expect(debuggable.debuggablePromise).toBe(own);
});

test("outside a plan the SDK's own wrapper gives a promise its debug properties", () => {
  const { debuggable, state } = modules!;
  const promise = Promise.resolve();
  debuggable.debuggablePromise(promise, "outside");
  expect(Object.getOwnPropertyNames(promise)).toEqual(expect.arrayContaining(["_debugId", "_debugCtx", "_debugStackTrace"]));
  state.getStore().leakCandidates.delete(promise);
});
