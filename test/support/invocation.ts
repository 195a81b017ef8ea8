// A real InvocationContext, as the Functions host gives a handler, whose log lines the test reads.
import functions, { type InvocationContext } from "@azure/functions";

// The package is CommonJS and its classes are not detectable as named exports from ESM.
const { InvocationContext: InvocationContextClass } = functions;

/** The context, and every line logged through it as `<level> <message>`. */
export function recordedInvocation(functionName: string): { context: InvocationContext; lines: string[] } {
  const lines: string[] = [];
  const context = new InvocationContextClass({ functionName, logHandler: (level, ...args) => lines.push(`${level} ${args.map(String).join(" ")}`) });
  return { context, lines };
}
