// `npm run bench`: the bot against its floors, under concurrency, from 10³ to 10⁶ commitments,
// on SQLite and PostgreSQL. Everything on loopback: the bot started as `npm start` starts it
// (Slack HTTP mode, Teams unauthenticated), a stand-in for Slack's Web API, response_url and the
// Teams connector that counts replies, and autocannon sending signed requests.
//
//   npm run bench                                   everything (long on 2 cores)
//   npm run bench -- --sizes 1e3,1e6 --stores sqlite --duration 5 --connections 10
//   npm run bench -- --commands status-wg,list --no-one-group --no-teams
//
// PostgreSQL runs when CMP_BENCH_POSTGRES_URL is set (a schema per size, dropped afterwards).
// CMP_BENCH_BOT_NODE_ARGS passes node options to the bot only ("--cpu-prof --cpu-prof-dir=prof").

import { type ChildProcess, spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "node:querystring";
import autocannon, { type Request, type Result } from "autocannon";
import { BENCH_SLACK_USER, buildStore, dropPostgresSchema, postgresSchema } from "./data.js";
import { type StandIn, startStandIn } from "./stand-in.js";

const SECRET = "bench-signing-secret";
/** Linux's unit for a process's CPU time in /proc/PID/stat (`getconf CLK_TCK`). */
const CLOCK_TICKS_PER_S = 100;
const SLACK_PATH = "/slack/events";
const COMMANDS = {
  "status-wg": "status TIIWG",
  status: "status",
  list: "list TIIWG overdue",
  mine: "mine",
  show: "show TIIWG-5",
  add: "add TIIWG Bench item due 2027-Q1 owner COMCE (MX)",
} as const;
type CommandKey = keyof typeof COMMANDS;

interface Options {
  sizes: number[];
  oneGroup: boolean;
  stores: ("sqlite" | "postgres")[];
  duration: number;
  connections: number[];
  commands: CommandKey[];
  teams: boolean;
}

/** CMP_BENCH_POSTGRES_URL, with the user `postgres` when it names none (trust auth here). */
function postgresUrl(): string | undefined {
  const raw = process.env.CMP_BENCH_POSTGRES_URL;
  if (!raw) return undefined;
  const url = new URL(raw);
  if (!url.username) url.username = process.env.PGUSER ?? "postgres";
  return url.href;
}

function options(argv: string[]): Options {
  const value = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const list = (name: string) => value(name)?.split(",").filter(Boolean);
  const pgUrl = postgresUrl();
  const stores = (list("stores") ??
    (pgUrl ? ["sqlite", "postgres"] : ["sqlite"])) as Options["stores"];
  if (stores.includes("postgres") && !pgUrl)
    throw new Error("set CMP_BENCH_POSTGRES_URL for --stores postgres");
  const commands = (list("commands") ?? Object.keys(COMMANDS)) as CommandKey[];
  for (const c of commands)
    if (!(c in COMMANDS))
      throw new Error(`unknown command ${c}: ${Object.keys(COMMANDS).join(", ")}`);
  return {
    sizes: (list("sizes") ?? ["1e3", "1e4", "1e5", "1e6"]).map(Number),
    oneGroup: !argv.includes("--no-one-group"),
    stores,
    duration: Number(value("duration") ?? 8),
    connections: (list("connections") ?? ["10", "50"]).map(Number),
    commands,
    teams: !argv.includes("--no-teams"),
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** CPU seconds a process has used (user and system), from /proc: steadier than req/s on a busy machine. */
function cpuSeconds(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_S;
  } catch {
    return Number.NaN;
  }
}

/** Resident memory of a process, in MB (Linux). */
function rssMb(pid: number | undefined): number {
  if (!pid) return Number.NaN;
  try {
    const line = readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+) kB/);
    return line ? Number(line[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Starts `node --import tsx …args` and waits until GET /healthz (or the floor's "ready") answers. */
async function startProcess(
  args: string[],
  env: Record<string, string>,
  port: number,
  nodeArgs: string[] = [],
): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const started = performance.now();
  while (performance.now() - started < 120_000) {
    if (child.exitCode !== null)
      throw new Error(`${args[0]} exited (${child.exitCode}): ${output}`);
    if (/ready/.test(output)) return child;
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      await res.arrayBuffer();
      if (res.ok) return child;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${args[0]} did not start: ${output}`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  if (child.exitCode === null) child.kill("SIGKILL");
}

interface Row {
  store: string;
  size: string;
  target: string;
  command: string;
  connections: number;
  reqPerSec: number;
  p50: number;
  p99: number;
  max: number;
  repliesPerSec: number;
  replyP99: number;
  over3s: number;
  busy: number;
  errors: number;
  missing: number;
  rssMb: number;
  cpuMsPerRequest: number;
}

let sequence = 0;

/** A signed slash command with a fresh id as its trigger and in its response_url. */
function signedCommand(
  req: Request,
  text: string,
  standIn: StandIn,
  context: Record<string, unknown>,
): Request {
  sequence += 1;
  const id = `r${sequence}`;
  context.id = id;
  const body = stringify({
    token: "unused",
    team_id: "T0BENCH",
    team_domain: "bench",
    channel_id: "C0BENCH",
    channel_name: "bench",
    user_id: BENCH_SLACK_USER,
    user_name: "bench",
    command: "/cmp",
    text,
    api_app_id: "A0BENCH",
    response_url: `${standIn.url}/response/${id}`,
    trigger_id: id,
  });
  const ts = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac("sha256", SECRET).update(`v0:${ts}:${body}`).digest("hex")}`;
  standIn.sent(id, performance.now());
  return {
    ...req,
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-slack-request-timestamp": String(ts),
      "x-slack-signature": signature,
    },
    body,
  };
}

/** A Teams message in a personal chat; its reply comes back to the stand-in as the connector. */
function teamsActivity(req: Request, text: string, standIn: StandIn): Request {
  sequence += 1;
  const id = `t${sequence}`;
  standIn.sent(id, performance.now());
  return {
    ...req,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      type: "message",
      id,
      text,
      timestamp: new Date().toISOString(),
      channelId: "msteams",
      serviceUrl: `${standIn.url}/`,
      from: { id: "29:bench", name: "Bench Admin", aadObjectId: "00000000-bench" },
      recipient: { id: "28:cmp", name: "CMP" },
      conversation: { id: "a:bench-personal", conversationType: "personal" },
      locale: "en-US",
    }),
  };
}

/**
 * Replies through response_url may still be on their way: wait while they keep coming, up to
 * 10 s, and stop once none came for 3 s (Slack's own window): requests autocannon cut off at
 * the end of its run never get an answer, and waiting the full 10 s for them made each row
 * last twice its duration.
 */
async function settle(standIn: StandIn): Promise<void> {
  const deadline = performance.now() + 10_000;
  let last = standIn.pending();
  let quietSince = performance.now();
  while (performance.now() < deadline && standIn.pending() > 0) {
    await new Promise((r) => setTimeout(r, 250));
    const now = standIn.pending();
    if (now !== last) {
      last = now;
      quietSince = performance.now();
    } else if (performance.now() - quietSince > 3_000) return;
  }
}

/** Signed slash commands at `connections` for `duration` seconds; replies counted at the stand-in. */
async function loadSlack(
  port: number,
  text: string,
  connections: number,
  duration: number,
  standIn: StandIn,
  pid: number | undefined,
): Promise<Omit<Row, "store" | "size" | "target" | "command">> {
  // A short unrecorded run first: JIT, caches and connections warm, as in a bot that has run a while.
  await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: 1,
    requests: [
      {
        method: "POST",
        path: SLACK_PATH,
        setupRequest: (req) => signedCommand(req, text, standIn, {}),
      },
    ],
  });
  await settle(standIn);
  standIn.drain();
  let peak = rssMb(pid);
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMb(pid));
  }, 250);
  let acks = 0;
  const cpuBefore = cpuSeconds(pid);
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration,
    requests: [
      {
        method: "POST",
        path: SLACK_PATH,
        setupRequest: (req, context: Record<string, unknown>) =>
          signedCommand(req, text, standIn, context),
        onResponse: (status: number, body: string, context: Record<string, unknown>) => {
          if (status !== 200) return;
          acks += 1;
          // A reply that travelled in the ack itself.
          if (body.length > 0) standIn.answeredInAck(String(context.id), performance.now(), body);
        },
      },
    ],
  });
  await settle(standIn);
  clearInterval(sampler);
  const cpuMs = (cpuSeconds(pid) - cpuBefore) * 1000;
  return summary(result, connections, standIn.drain(), acks, duration, peak, cpuMs);
}

function summary(
  result: Result,
  connections: number,
  replies: { times: number[]; busy: number; replies: number },
  acks: number,
  duration: number,
  peak: number,
  cpuMs: number,
) {
  const times = [...replies.times].sort((a, b) => a - b);
  return {
    connections,
    reqPerSec: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    repliesPerSec: replies.replies / duration,
    replyP99: times[Math.min(times.length - 1, Math.floor(times.length * 0.99))] ?? Number.NaN,
    over3s: times.filter((t) => t > 3_000).length,
    busy: replies.busy,
    errors: result.errors + result.timeouts + result.non2xx,
    missing: Math.max(0, acks - replies.replies),
    rssMb: peak,
    // Over every request answered, replies after the run included.
    cpuMsPerRequest: cpuMs / result.requests.total,
  };
}

/** Teams message activities ("status WG" in a personal chat) at `connections`. */
async function loadTeams(
  port: number,
  text: string,
  connections: number,
  duration: number,
  standIn: StandIn,
  pid: number | undefined,
) {
  await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: 1,
    requests: [
      {
        method: "POST",
        path: "/api/messages",
        setupRequest: (req) => teamsActivity(req, text, standIn),
      },
    ],
  });
  await settle(standIn);
  standIn.drain();
  let peak = rssMb(pid);
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMb(pid));
  }, 250);
  let acks = 0;
  const cpuBefore = cpuSeconds(pid);
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration,
    requests: [
      {
        method: "POST",
        path: "/api/messages",
        setupRequest: (req) => teamsActivity(req, text, standIn),
        onResponse: (status: number) => {
          if (status >= 200 && status < 300) acks += 1;
        },
      },
    ],
  });
  await settle(standIn);
  clearInterval(sampler);
  const cpuMs = (cpuSeconds(pid) - cpuBefore) * 1000;
  return summary(result, connections, standIn.drain(), acks, duration, peak, cpuMs);
}

function botEnv(databaseUrl: string, port: number, standIn: StandIn): Record<string, string> {
  return {
    NODE_ENV: "development",
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    LOG_LEVEL: "warn",
    CMP_DEMO_DATA: "false",
    CMP_SCHEDULER: "false",
    SLACK_BOT_TOKEN: "xoxb-bench",
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: `${standIn.url}/api/`,
    SLACK_RESPONSE_URL_HOSTS: new URL(standIn.url).host,
    TEAMS_ALLOW_UNAUTHENTICATED: "true",
  };
}

const fmt = (n: number, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : "—";

async function main(): Promise<void> {
  const o = options(process.argv.slice(2));
  const cores = (await import("node:os")).cpus().length;
  console.log(
    `# npm run bench — ${new Date().toISOString()} — ${cores} cores — Node ${process.version}`,
  );
  console.log(`# ${JSON.stringify(o)}`);
  const dir = mkdtempSync(join(tmpdir(), "cmp-bench-"));
  const standIn = await startStandIn();
  const rows: Row[] = [];
  const floors = new Map<string, Row>();
  try {
    // The floors, measured in the same run.
    const slackFloorPort = await freePort();
    const slackFloor = await startProcess(
      ["bench/floor.ts", "slack", String(slackFloorPort), join(dir, "floor.db")],
      {},
      slackFloorPort,
    );
    const floorIdle = rssMb(slackFloor.pid);
    for (const c of o.connections) {
      const r = await loadSlack(
        slackFloorPort,
        "status TIIWG",
        c,
        o.duration,
        standIn,
        slackFloor.pid,
      );
      const row = {
        store: "floor",
        size: "—",
        target: "bolt",
        command: "ack + 1 write",
        ...r,
        repliesPerSec: Number.NaN,
        replyP99: Number.NaN,
        missing: 0,
      };
      floors.set(`slack:${c}`, row);
      rows.push(row);
      print(row, floorIdle);
    }
    await stop(slackFloor);
    let teamsFloorIdle = Number.NaN;
    if (o.teams) {
      const teamsFloorPort = await freePort();
      const teamsFloor = await startProcess(
        ["bench/floor.ts", "teams", String(teamsFloorPort)],
        {},
        teamsFloorPort,
      );
      teamsFloorIdle = rssMb(teamsFloor.pid);
      const r = await loadTeams(
        teamsFloorPort,
        "status TIIWG",
        10,
        o.duration,
        standIn,
        teamsFloor.pid,
      );
      const row = { store: "floor", size: "—", target: "teams", command: "reply", ...r };
      floors.set("teams:10", row);
      rows.push(row);
      print(row, teamsFloorIdle);
      await stop(teamsFloor);
    }

    const shapes = [
      ...o.sizes.map((size) => ({
        size,
        oneGroup: false,
        label: size.toExponential(0).replace("e+", "e"),
      })),
      ...(o.oneGroup ? [{ size: 100_000, oneGroup: true, label: "1e5 in TIIWG" }] : []),
    ];
    for (const store of o.stores) {
      for (const shape of shapes) {
        const schema = `cmp_bench_${shape.label.replace(/\W+/g, "_")}`;
        const databaseUrl =
          store === "sqlite"
            ? join(dir, `${schema}.db`)
            : await postgresSchema(postgresUrl() as string, schema);
        const built = performance.now();
        await buildStore(databaseUrl, shape, new Date());
        console.log(
          `# ${store} ${shape.label}: built in ${fmt((performance.now() - built) / 1000, 1)} s`,
        );
        const port = await freePort();
        const bot = await startProcess(
          ["src/main.ts", "start"],
          botEnv(databaseUrl, port, standIn),
          port,
          // e.g. CMP_BENCH_BOT_NODE_ARGS="--cpu-prof --cpu-prof-dir=prof" to profile the bot alone.
          process.env.CMP_BENCH_BOT_NODE_ARGS?.split(" ").filter(Boolean),
        );
        await new Promise((r) => setTimeout(r, 1_000));
        const idle = rssMb(bot.pid);
        for (const key of o.commands) {
          for (const c of o.connections) {
            const r = await loadSlack(port, COMMANDS[key], c, o.duration, standIn, bot.pid);
            const row = { store, size: shape.label, target: "slack", command: key, ...r };
            rows.push(row);
            print(row, idle, floors.get(`slack:${c}`));
          }
        }
        if (o.teams) {
          const r = await loadTeams(port, COMMANDS["status-wg"], 10, o.duration, standIn, bot.pid);
          const row = { store, size: shape.label, target: "teams", command: "status-wg", ...r };
          rows.push(row);
          print(row, idle, floors.get("teams:10"));
        }
        await stop(bot);
        if (store === "postgres") await dropPostgresSchema(postgresUrl() as string, schema);
        else rmSync(databaseUrl, { force: true });
      }
    }
    growth(rows);
  } finally {
    await standIn.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

let header = false;
function print(row: Row, idleMb: number, floor?: Row): void {
  if (!header) {
    console.log(
      "| store | size | on | command | conns | req/s | ack p50 | ack p99 | ack max | replies/s | reply p99 | >3 s | busy | errors | no reply | × floor | CPU ms/req (× floor) | RSS idle / load MB |",
    );
    console.log("|---|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
    header = true;
  }
  console.log(
    `| ${row.store} | ${row.size} | ${row.target} | ${row.command} | ${row.connections} | ${fmt(row.reqPerSec)} | ${row.p50} | ${row.p99} | ${row.max} | ${fmt(row.repliesPerSec)} | ${fmt(row.replyP99)} | ${row.over3s} | ${row.busy} | ${row.errors} | ${row.missing} | ${floor ? fmt(row.reqPerSec / floor.reqPerSec, 2) : "—"} | ${fmt(row.cpuMsPerRequest, 2)}${floor ? ` (${fmt(row.cpuMsPerRequest / floor.cpuMsPerRequest, 1)})` : ""} | ${fmt(idleMb)} / ${fmt(row.rssMb)} |`,
  );
}

/** The largest size against the smallest, per store, command and connections. */
function growth(rows: Row[]): void {
  console.log(
    "\n| store | on | command | conns | req/s smallest → largest (× ) | ack p99 ms | one group of 1e5 (×) |",
  );
  console.log("|---|---|---|--:|--:|--:|--:|");
  const keys = new Set(
    rows
      .filter((r) => r.store !== "floor")
      .map((r) => `${r.store}|${r.target}|${r.command}|${r.connections}`),
  );
  for (const key of keys) {
    const same = rows.filter((r) => `${r.store}|${r.target}|${r.command}|${r.connections}` === key);
    const spread = same.filter((r) => !r.size.includes("TIIWG"));
    const first = spread[0];
    const last = spread[spread.length - 1];
    const one = same.find((r) => r.size.includes("TIIWG"));
    if (!first || !last) continue;
    const [store, target, command, conns] = key.split("|");
    console.log(
      `| ${store} | ${target} | ${command} | ${conns} | ${fmt(first.reqPerSec)} → ${fmt(last.reqPerSec)} (${fmt(first.reqPerSec / last.reqPerSec, 2)}) | ${first.p99} → ${last.p99} | ${one ? fmt(first.reqPerSec / one.reqPerSec, 2) : "—"} |`,
    );
  }
}

await main();
