import { existsSync } from "node:fs";
import { z } from "zod";

// The one reader of process.env: everything else receives a typed Config.

const boolean = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

const schema = z.object({
  NODE_ENV: z.string().default("development"),
  DATABASE_URL: z.string().min(1).default("./data/cmp.db"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  CMP_DEMO_DATA: boolean.optional(),
  CMP_DEMO_FILE: z.string().default("examples/cmp-2017.yaml"),
  CMP_CONSOLE_USER: z.string().default("secretariat"),
  CMP_CONSOLE_CHANNEL: z.string().optional(),
  CMP_SCHEDULER: boolean.optional(),
  CMP_SCHEDULER_GRACE_HOURS: z.coerce
    .number()
    .positive()
    .max(14 * 24)
    .default(24),
  CMP_SCHEDULER_CRON: z.string().min(1).default("* * * * *"),
});

export interface Config {
  env: string;
  production: boolean;
  databaseUrl: string;
  logLevel: string | undefined;
  port: number;
  /** Load the 2017 demo partnership into an empty database. */
  demoData: boolean | undefined;
  demoFile: string;
  console: { user: string; channel: string | undefined };
  scheduler: {
    /** Scheduled posts: on with the platforms unless false; in the console only when true. */
    enabled: boolean | undefined;
    /** Occasions missed by less than this (a restart, an outage) are still posted. */
    graceHours: number;
    /** How often node-cron ticks (UTC). */
    cron: string;
  };
}

export class ConfigError extends Error {}

export function loadDotEnv(path = ".env"): void {
  // Node 20.12+ reads .env itself; variables already set win.
  if (existsSync(path)) process.loadEnvFile(path);
}

export function parseConfig(env: NodeJS.ProcessEnv): Config {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues
      .map((i) => `  ${i.path.join(".")}: ${i.message}`)
      .join("\n");
    throw new ConfigError(`Invalid configuration:\n${problems}`);
  }
  const e = result.data;
  return {
    env: e.NODE_ENV,
    production: e.NODE_ENV === "production",
    databaseUrl: e.DATABASE_URL,
    logLevel: e.LOG_LEVEL,
    port: e.PORT,
    demoData: e.CMP_DEMO_DATA,
    demoFile: e.CMP_DEMO_FILE,
    console: { user: e.CMP_CONSOLE_USER, channel: e.CMP_CONSOLE_CHANNEL },
    scheduler: {
      enabled: e.CMP_SCHEDULER,
      graceHours: e.CMP_SCHEDULER_GRACE_HOURS,
      cron: e.CMP_SCHEDULER_CRON,
    },
  };
}
