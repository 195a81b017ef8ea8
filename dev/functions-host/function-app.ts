// The local host loads the function app as the Azure Functions Node worker does. The worker provides a
// built-in module, `@azure/functions-core`, by intercepting Node's module loader for that one name
// (Azure/azure-functions-nodejs-worker, src/setupCoreModule.ts), then loads the files package.json's
// "main" names; each `app.http` / `app.timer` / `app.eventGrid` call in them registers its function
// through that module. Doing the same here means the local host serves exactly what the files register
// (names, routes, methods, schedules), and @azure/functions does not fall back to its "test mode", whose
// start-up warnings look like failures.
import { readdir, readFile } from "node:fs/promises";
import Module from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { EventGridHandler, HttpHandler, TimerHandler } from "@azure/functions";
import type { HttpFunctionRoute } from "./https-server.js";
import type { TimerFunction } from "./timers.js";

/** A function as @azure/functions registers it: its name, trigger binding and handler. */
export interface RegisteredFunction {
  readonly name: string;
  readonly trigger: { readonly type: string; readonly route?: string; readonly methods?: readonly string[]; readonly schedule?: string };
  readonly handler: (...args: never[]) => unknown;
}

const coreModuleName = "@azure/functions-core";
const projectRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/**
 * Provides the worker's core module, imports the app's entry files and returns every function they
 * registered. `log` gets what the package logs through the worker (its warnings and errors). Once per
 * process: @azure/functions remembers at its first registration whether a worker is there.
 */
export async function loadFunctionApp(log: (line: string) => void, root = projectRoot): Promise<readonly RegisteredFunction[]> {
  const registered: RegisteredFunction[] = [];
  provideCoreModule({
    registerFunction(metadata, handler) {
      const trigger = Object.values(metadata.bindings).find((binding) => binding.direction === "in" && /trigger$/i.test(binding.type));
      if (trigger === undefined) throw new Error(`function ${metadata.name} registered no trigger`);
      registered.push({ name: metadata.name, trigger, handler });
      return { dispose: () => undefined };
    },
    log(level, _category, message) {
      if (level === "warning" || level === "error" || level === "critical") log(`${level} [@azure/functions] ${message}`);
    },
  });
  for (const file of await entryFiles(root)) await import(pathToFileURL(file).href);
  if (registered.length === 0) {
    throw new Error(`no function registered from ${await mainOf(root)}: was @azure/functions loaded before the local host provided ${coreModuleName}?`);
  }
  return registered;
}

/** The functions with an HTTP trigger, with their routes and methods. */
export function httpFunctions(functions: readonly RegisteredFunction[]): HttpFunctionRoute[] {
  return functions
    .filter((f) => f.trigger.type === "httpTrigger")
    .map((f) => ({ name: f.name, route: required(f, "route"), methods: f.trigger.methods ?? ["GET", "POST"], handler: f.handler as unknown as HttpHandler }));
}

/** The functions with a timer trigger, with their schedules. */
export function timerFunctions(functions: readonly RegisteredFunction[]): TimerFunction[] {
  return functions
    .filter((f) => f.trigger.type === "timerTrigger")
    .map((f) => ({ name: f.name, schedule: required(f, "schedule"), handler: f.handler as unknown as TimerHandler }));
}

/** The handler of the Event Grid function of this name. */
export function eventGridHandler(functions: readonly RegisteredFunction[], name: string): EventGridHandler<unknown> {
  const found = functions.find((f) => f.name === name && f.trigger.type === "eventGridTrigger");
  if (found === undefined) throw new Error(`no Event Grid function named ${name} is registered`);
  return found.handler as unknown as EventGridHandler<unknown>;
}

function required(f: RegisteredFunction, field: "route" | "schedule"): string {
  const value = f.trigger[field];
  if (value === undefined) throw new Error(`function ${f.name} registered a ${f.trigger.type} without a ${field}`);
  return value;
}

interface CoreModule {
  registerFunction(metadata: { name: string; bindings: Record<string, RegisteredFunction["trigger"] & { direction: string }> }, handler: RegisteredFunction["handler"]): { dispose(): void };
  log(level: string, category: string, message: string): void;
}

function provideCoreModule(core: CoreModule): void {
  const api = {
    ...core,
    version: "local",
    hostVersion: "local",
    // The programming model and hooks serve the worker's own invocation pipeline, which the local host
    // replaces: it calls the handlers itself (dev/functions-host/https-server.ts, timers.ts).
    setProgrammingModel: () => undefined,
    getProgrammingModel: () => undefined,
    registerHook: () => ({ dispose: () => undefined }),
  };
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const load = loader._load;
  loader._load = function (request: string, ...rest: unknown[]) {
    return request === coreModuleName ? api : load.call(this, request, ...rest);
  };
}

/** The files package.json's "main" names, a file or one `folder/*.js` pattern, as the host reads it. */
async function entryFiles(root: string): Promise<string[]> {
  const main = await mainOf(root);
  const pattern = /^(.*)\/\*\.js$/.exec(main);
  if (pattern === null) return [join(root, main)];
  const folder = join(root, pattern[1]!);
  return (await readdir(folder)).filter((name) => name.endsWith(".js")).sort().map((name) => join(folder, name));
}

async function mainOf(root: string): Promise<string> {
  const main = (JSON.parse(await readFile(join(root, "package.json"), "utf8")) as { main?: unknown }).main;
  if (typeof main !== "string") throw new Error(`package.json in ${root} names no "main"`);
  return main;
}
