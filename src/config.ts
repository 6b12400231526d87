import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
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
  HOST: z.string().optional(),
  CMP_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  CMP_DEMO_DATA: boolean.optional(),
  // The package's own copy, wherever the bot is started from.
  CMP_DEMO_FILE: z
    .string()
    .default(fileURLToPath(new URL("../examples/cmp-2017.yaml", import.meta.url))),
  CMP_CONSOLE_USER: z.string().default("secretariat"),
  CMP_CONSOLE_CHANNEL: z.string().optional(),
  SLACK_BOT_TOKEN: z.string().optional(),
  SLACK_SIGNING_SECRET: z.string().optional(),
  SLACK_APP_TOKEN: z.string().optional(),
  SLACK_API_URL: z.url({ protocol: /^https?$/ }).optional(),
  SLACK_RESPONSE_URL_HOSTS: z.string().optional(),
  MICROSOFT_APP_ID: z.string().trim().optional(),
  MICROSOFT_APP_PASSWORD: z.string().optional(),
  MICROSOFT_APP_TENANT_ID: z.string().trim().optional(),
  MICROSOFT_APP_TYPE: z.enum(["MultiTenant", "SingleTenant", "UserAssignedMSI"]).optional(),
  TEAMS_ALLOW_UNAUTHENTICATED: boolean.optional(),
  CMP_SCHEDULER: boolean.optional(),
  CMP_SCHEDULER_GRACE_HOURS: z.coerce
    .number()
    .positive()
    .max(14 * 24)
    .default(24),
  CMP_SCHEDULER_CRON: z.string().min(1).default("* * * * *"),
  CMP_CHROMIUM: z.string().optional(),
  CMP_OVERDUE_REMINDERS: z.coerce.number().int().min(0).max(52).default(4),
  METRICS_TOKEN: z.string().trim().optional(),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  SHUTDOWN_GRACE_SECONDS: z.coerce.number().min(0).max(600).default(20),
  CMP_RETENTION_DELIVERIES_DAYS: z.coerce.number().int().min(1).default(180),
  CMP_RETENTION_REQUEST_KEYS_DAYS: z.coerce.number().int().min(1).default(7),
  CMP_CLOCK_OFFSET_SECONDS: z.coerce.number().int().default(0),
});

/** Microsoft Teams through the Bot Framework; null when Teams is off. */
export interface TeamsConfig {
  /** The Azure Bot's Microsoft App ID; null only in unauthenticated local testing. */
  appId: string | null;
  appPassword: string | null;
  tenantId: string | null;
  appType: "MultiTenant" | "SingleTenant" | "UserAssignedMSI";
  /** Accepts unsigned requests (local testing only; refused in production). */
  allowUnauthenticated: boolean;
}

export interface Config {
  env: string;
  production: boolean;
  databaseUrl: string;
  logLevel: string | undefined;
  port: number;
  /** Interface the HTTP server binds; undefined: all interfaces. */
  host: string | undefined;
  /** Where people reach the bot's HTTP server (calendar links), without a trailing slash. */
  publicUrl: string;
  /** Load the 2017 demo partnership into an empty database. */
  demoData: boolean | undefined;
  demoFile: string;
  console: { user: string; channel: string | undefined };
  /** The Chromium that prints PDF reports; null: look in the usual places. */
  chromiumPath: string | null;
  /** null when no Slack setting is present: the Slack adapter is off. */
  slack: SlackConfig | null;
  teams: TeamsConfig | null;
  scheduler: {
    /** Scheduled posts: on with the platforms unless false; in the console only when true. */
    enabled: boolean | undefined;
    /** Occasions missed by less than this (a restart, an outage) are still posted. */
    graceHours: number;
    /** How often node-cron ticks (UTC). */
    cron: string;
    /** Weekly reminders of an overdue item before it is stalled (digest and `status` only). */
    overdueReminders: number;
  };
  ops: {
    /** When set, GET /metrics wants `Authorization: Bearer <token>`. */
    metricsToken: string | null;
    /** When set, /metrics is served on this port instead of the platforms' one. */
    metricsPort: number | null;
    /** How long SIGTERM waits for requests and posts under way before cutting them. */
    shutdownGraceMs: number;
    /** Shifts the bot's clock: fault drills (clock skew between replicas) and tests only. */
    clockOffsetMs: number;
  };
  retention: {
    /** Sent, failed and skipped scheduled posts older than this are pruned from the ledger. */
    deliveriesDays: number;
    /** Processed-request keys (replay protection) older than this are pruned. */
    requestKeysDays: number;
  };
}

export interface SlackConfig {
  botToken: string;
  /** Required in HTTP mode; Socket Mode connections are authenticated by the app token. */
  signingSecret: string | null;
  /** Set: Socket Mode (development behind a firewall). Unset: HTTP at POST /slack/events. */
  appToken: string | null;
  /** Web API base URL, e.g. https://slack.com/api/ (the default) or a GovSlack host. */
  apiUrl: string | null;
  /** Hosts whose `response_url` the bot follows; any other is answered through the Web API. */
  responseUrlHosts: string[];
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
  if (e.CMP_CLOCK_OFFSET_SECONDS !== 0 && isProduction(e.NODE_ENV))
    throw new ConfigError(
      "CMP_CLOCK_OFFSET_SECONDS is for drills and tests: it is refused when NODE_ENV=production.",
    );
  const teams = teamsConfig(e);
  return {
    env: e.NODE_ENV,
    production: isProduction(e.NODE_ENV),
    databaseUrl: e.DATABASE_URL,
    logLevel: e.LOG_LEVEL,
    port: e.PORT,
    host: hostOf(present(e.HOST) ?? undefined, teams),
    publicUrl: (e.CMP_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ""),
    demoData: e.CMP_DEMO_DATA,
    demoFile: e.CMP_DEMO_FILE,
    console: { user: e.CMP_CONSOLE_USER, channel: e.CMP_CONSOLE_CHANNEL },
    chromiumPath: present(e.CMP_CHROMIUM),
    slack: slackConfig(e),
    teams,
    scheduler: {
      enabled: e.CMP_SCHEDULER,
      graceHours: e.CMP_SCHEDULER_GRACE_HOURS,
      cron: e.CMP_SCHEDULER_CRON,
      overdueReminders: e.CMP_OVERDUE_REMINDERS,
    },
    ops: {
      metricsToken: e.METRICS_TOKEN || null,
      metricsPort: e.METRICS_PORT ?? null,
      shutdownGraceMs: e.SHUTDOWN_GRACE_SECONDS * 1000,
      clockOffsetMs: e.CMP_CLOCK_OFFSET_SECONDS * 1000,
    },
    retention: {
      deliveriesDays: e.CMP_RETENTION_DELIVERIES_DAYS,
      requestKeysDays: e.CMP_RETENTION_REQUEST_KEYS_DAYS,
    },
  };
}

/** "production" in any case and with stray spaces: `Production` must not relax a check. */
function isProduction(nodeEnv: string): boolean {
  return nodeEnv.trim().toLowerCase() === "production";
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost", "::ffff:127.0.0.1"]);

/**
 * Where the HTTP server listens: HOST, else all interfaces — except with unauthenticated Teams,
 * which only this machine may reach, so it binds loopback and refuses any other HOST.
 */
function hostOf(host: string | undefined, teams: TeamsConfig | null): string | undefined {
  if (!teams?.allowUnauthenticated) return host;
  if (host === undefined) return "127.0.0.1";
  if (LOOPBACK.has(host.toLowerCase())) return host;
  throw new ConfigError(
    `TEAMS_ALLOW_UNAUTHENTICATED=true needs the server bound to loopback, but HOST=${host}: anyone who can reach it could post as any Teams user. Remove HOST (or set HOST=127.0.0.1), or configure MICROSOFT_APP_ID instead.`,
  );
}

/** Empty values count as unset, so a blank line in .env does not half-enable Slack. */
function present(value: string | undefined): string | null {
  return value?.trim() ? value.trim() : null;
}

function slackConfig(e: z.infer<typeof schema>): SlackConfig | null {
  const botToken = present(e.SLACK_BOT_TOKEN);
  const signingSecret = present(e.SLACK_SIGNING_SECRET);
  const appToken = present(e.SLACK_APP_TOKEN);
  if (!botToken && !signingSecret && !appToken) return null;
  const problems: string[] = [];
  if (!botToken) problems.push("SLACK_BOT_TOKEN is missing (the bot token, xoxb-…)");
  else if (!botToken.startsWith("xoxb-"))
    problems.push("SLACK_BOT_TOKEN must be a bot token starting with xoxb-");
  if (appToken && !appToken.startsWith("xapp-"))
    problems.push("SLACK_APP_TOKEN must be an app-level token starting with xapp-");
  if (!appToken && !signingSecret)
    problems.push(
      "SLACK_SIGNING_SECRET is missing (needed to verify requests in HTTP mode; set SLACK_APP_TOKEN instead for Socket Mode)",
    );
  if (problems.length > 0)
    throw new ConfigError(
      `Slack is partly configured:\n${problems.map((p) => `  ${p}`).join("\n")}`,
    );
  const apiUrl = e.SLACK_API_URL ?? null;
  const hosts = e.SLACK_RESPONSE_URL_HOSTS
    ? e.SLACK_RESPONSE_URL_HOSTS.split(",")
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean)
    : ["hooks.slack.com"];
  if (apiUrl) hosts.push(new URL(apiUrl).host.toLowerCase());
  return {
    botToken: botToken as string,
    signingSecret,
    appToken,
    apiUrl,
    responseUrlHosts: [...new Set(hosts)],
  };
}

/** What `npm run teams:package` needs: the bot's app id only, no secret. */
export function packagingConfig(env: NodeJS.ProcessEnv): { teamsAppId: string | null } {
  return { teamsAppId: env.MICROSOFT_APP_ID?.trim() || null };
}

function teamsConfig(e: z.infer<typeof schema>): TeamsConfig | null {
  const appId = e.MICROSOFT_APP_ID || null;
  const allowUnauthenticated = e.TEAMS_ALLOW_UNAUTHENTICATED === true;
  if (allowUnauthenticated && isProduction(e.NODE_ENV))
    throw new ConfigError(
      "TEAMS_ALLOW_UNAUTHENTICATED=true is refused when NODE_ENV=production: anyone could post as any Teams user. Set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD (from the Azure Bot registration) instead.",
    );
  if (allowUnauthenticated && appId)
    throw new ConfigError(
      "TEAMS_ALLOW_UNAUTHENTICATED=true cannot be combined with MICROSOFT_APP_ID: remove one of them.",
    );
  if (allowUnauthenticated)
    return {
      appId: null,
      appPassword: null,
      tenantId: null,
      appType: "MultiTenant",
      allowUnauthenticated,
    };
  if (!appId) {
    const stray = (
      ["MICROSOFT_APP_PASSWORD", "MICROSOFT_APP_TENANT_ID", "MICROSOFT_APP_TYPE"] as const
    ).filter((name) => e[name]);
    if (stray.length > 0)
      throw new ConfigError(`${stray.join(", ")} set but MICROSOFT_APP_ID is missing.`);
    return null;
  }
  // New multi-tenant Azure Bot registrations cannot be created since 31 July 2025; existing
  // ones keep working with MICROSOFT_APP_TYPE=MultiTenant.
  const appType = e.MICROSOFT_APP_TYPE ?? "SingleTenant";
  const tenantId = e.MICROSOFT_APP_TENANT_ID || null;
  const appPassword = e.MICROSOFT_APP_PASSWORD || null;
  const missing: string[] = [];
  if (appType !== "UserAssignedMSI" && !appPassword) missing.push("MICROSOFT_APP_PASSWORD");
  if (appType !== "MultiTenant" && !tenantId) missing.push("MICROSOFT_APP_TENANT_ID");
  if (missing.length > 0)
    throw new ConfigError(
      `Teams (MICROSOFT_APP_TYPE=${appType}) needs ${missing.join(" and ")} besides MICROSOFT_APP_ID.`,
    );
  if (appType === "UserAssignedMSI" && appPassword)
    throw new ConfigError(
      "MICROSOFT_APP_PASSWORD must not be set with MICROSOFT_APP_TYPE=UserAssignedMSI (the managed identity signs in).",
    );
  return { appId, appPassword, tenantId, appType, allowUnauthenticated: false };
}
