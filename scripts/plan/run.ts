// First: it keeps the SDK from loading what the plan never uses (scripts/plan/deferredStartup.ts).
import "./deferredStartup";
import * as pulumi from "@pulumi/pulumi";
import { createMocks } from "./mocks";
import { sanitize } from "./sanitize";
import { projectName, projectRoot, readStackFile } from "./stackFile";
import { withLeanPromises } from "./leanPromises";
import { dropVersionAliases } from "./versionAliases";

/** One resource as `pulumi up` would register it. The format of resources.json; other tools read it. */
export interface PlannedResource {
  urn: string;
  type: string;
  name: string;
  /** URN of the parent resource. */
  parent: string;
  /** A cloud/Kubernetes resource (true) or a component (false). */
  custom: boolean;
  /** URN of the explicit provider, if any. */
  provider: string;
  /** Inputs with secrets replaced by "[secret]". */
  inputs: Record<string, unknown>;
  /** URNs this resource depends on (explicit dependsOn and those its inputs come from). */
  dependencies: string[];
  options: {
    protect: boolean;
    retainOnDelete: boolean;
    deleteBeforeReplace: boolean;
    ignoreChanges: string[];
    replaceOnChanges: string[];
    additionalSecretOutputs: string[];
    deletedWith: string;
    customTimeouts?: Record<string, string>;
  };
}

export interface Plan {
  project: string;
  stack: string;
  resources: PlannedResource[];
  /** Stack outputs, secrets replaced by "[secret]". */
  outputs: Record<string, unknown>;
}

export interface PlanOptions extends Pick<ProgramContext, "onRegister"> {
  /** Config values to set (or, with undefined, remove) on top of the stack file: `namespace:key` to string. */
  configOverrides?: Record<string, string | undefined>;
  root?: string;
}

type Callback = (err: Error | null, resp?: unknown) => void;
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProvider(): string;
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
  getDependenciesList(): string[];
  getProtect(): boolean;
  getRetainondelete(): boolean;
  getDeletebeforereplace(): boolean;
  getIgnorechangesList(): string[];
  getReplaceonchangesList(): string[];
  getAdditionalsecretoutputsList(): string[];
  getDeletedwith(): string;
  getCustomtimeouts(): { getCreate(): string; getUpdate(): string; getDelete(): string } | undefined;
}

/**
 * Runs the real program (program.ts, what index.ts runs) for a committed stack on the Pulumi SDK's mock runtime and records every
 * resource registration as the engine would receive it. Rejects with the program's error, e.g. a ConfigError.
 */
export async function planStack(stack: string, options: PlanOptions = {}): Promise<Plan> {
  const root = options.root ?? projectRoot;
  const { values, secretKeys } = readStackFile(stack, root);
  for (const [key, value] of Object.entries(options.configOverrides ?? {})) {
    if (value === undefined) delete values[key];
    else values[key] = value;
  }
  // Loaded here, not at the top: the tests that plan single components through planProgram need not load the
  // whole program and every cloud's SDK modules in each suite.
  const { program } = await import("../../program");
  return planProgram(program, { project: projectName(root), stack, config: values, secretKeys, onRegister: options.onRegister });
}

export interface ProgramContext {
  project: string;
  stack: string;
  /** `namespace:key` to string, as `pulumi.runtime.allConfig()` returns it. */
  config?: Record<string, string>;
  secretKeys?: string[];
  /** Receives every registration as it happens, also when the program then fails. */
  onRegister?: (resource: PlannedResource) => void;
}

/**
 * Runs any program function inside a stack on the mock runtime and records what it registers. The plan runs
 * program.ts through it; unit tests run single components through it.
 */
export async function planProgram(run: () => Record<string, unknown>, context: ProgramContext): Promise<Plan> {
  pulumi.runtime.setAllConfig(context.config ?? {}, context.secretKeys ?? []);
  await pulumi.runtime.setMocks(createMocks(), context.project, context.stack, false);

  const resources: PlannedResource[] = [];
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(req: RegisterRequest, callback: Callback): void;
  };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) =>
    register(req, (err, resp) => {
      if (!err) {
        const planned = record(req, (resp as { getUrn(): string }).getUrn());
        resources.push(planned);
        context.onRegister?.(planned);
      }
      callback(err, resp);
    });

  // The SDK records a stack trace for every promise it makes, and a whole one (it lifts the limit itself) for every
  // resource's source position, which the plan does not record. Under jest, source-map-support maps every frame of
  // them: most of a plan's time. While the program runs, errors and promises get no frames, a stack is formatted
  // without its frames (the SDK's source positions are then unknown, which the mock runtime does not need), and the
  // SDK's promises get no debug properties (leanPromises.ts); GITPOD_PLAN_STACK_TRACES=1 keeps all of it, for
  // debugging the program.
  const debugging = Boolean(process.env.GITPOD_PLAN_STACK_TRACES);
  const { stackTraceLimit, prepareStackTrace } = Error;
  if (!debugging) {
    Error.stackTraceLimit = 0;
    Error.prepareStackTrace = (error) => String(error);
  }
  let programExports: Record<string, unknown> = {};
  let failure: unknown;
  const runProgram = async () => {
    await pulumi.runtime.runInPulumiStack(async () => {
      // Caught here and rethrown below: an error escaping the stack's init is an unhandled rejection in the SDK.
      try {
        pulumi.runtime.registerStackTransformation(dropVersionAliases);
        programExports = run();
      } catch (err) {
        failure = err;
      }
      return programExports;
    });
    // Also after a failure: the stack's pending registrations must finish on these mocks, not the next plan's.
    await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs().catch((err: unknown) => {
      if (failure === undefined) throw err;
    });
  };
  try {
    await (debugging ? runProgram() : withLeanPromises(runProgram));
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
    Error.prepareStackTrace = prepareStackTrace;
  }
  if (failure !== undefined) throw failure;
  const serialized = await pulumi.runtime.serializeProperties("outputs", programExports);
  return {
    project: context.project,
    stack: context.stack,
    resources,
    outputs: sanitize(serialized) as Record<string, unknown>,
  };
}

function record(req: RegisterRequest, urn: string): PlannedResource {
  const timeouts = req.getCustomtimeouts();
  return {
    urn,
    type: req.getType(),
    name: req.getName(),
    parent: req.getParent(),
    custom: req.getCustom(),
    provider: req.getProvider().split("::").slice(0, -1).join("::"),
    inputs: sanitize(req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
    dependencies: req.getDependenciesList(),
    options: {
      protect: req.getProtect(),
      retainOnDelete: req.getRetainondelete(),
      deleteBeforeReplace: req.getDeletebeforereplace(),
      ignoreChanges: req.getIgnorechangesList(),
      replaceOnChanges: req.getReplaceonchangesList(),
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
      deletedWith: req.getDeletedwith(),
      ...(timeouts && (timeouts.getCreate() || timeouts.getUpdate() || timeouts.getDelete())
        ? { customTimeouts: { create: timeouts.getCreate(), update: timeouts.getUpdate(), delete: timeouts.getDelete() } }
        : {}),
    },
  };
}
