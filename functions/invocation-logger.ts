// Controllers log through this, so in Azure every line lands in the invocation's log (Application
// Insights) with its fields.
import type { InvocationContext } from "@azure/functions";
import type { LogFields, Logger } from "../shared/runtime/logger.js";

export function invocationLogger(context: InvocationContext): Logger {
  const format = (message: string, fields?: LogFields) =>
    fields === undefined ? message : `${message} ${JSON.stringify(Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)))}`;
  return {
    info: (m, f) => context.log(format(m, f)),
    warn: (m, f) => context.warn(format(m, f)),
    error: (m, f) => context.error(format(m, f)),
  };
}
