import {
  type Activity,
  CloudAdapter,
  type ConfigurationBotFrameworkAuthentication,
  type InvokeResponse,
  type TurnContext,
} from "botbuilder";

// Verifying a request's Bot Framework token before botbuilder runs the turn. CloudAdapter.process
// verifies too, but it answers 500 whenever the failure is not its own AuthenticationError (an
// expired or unsigned token whose keys could not be fetched, a malformed header) and prints the
// raw error with console.error: a forged request could fill stderr with stack traces. Here any
// failure to verify is a refusal (401) that the caller logs as one line.

export type AuthResult = Awaited<
  ReturnType<ConfigurationBotFrameworkAuthentication["authenticateRequest"]>
>;

export type Verification = { ok: true; result: AuthResult } | { ok: false; reason: string };

/** Three base64url segments, the shape of a JWT: never written to a log. */
const TOKEN_LIKE = /[\w-]{8,}\.[\w-]{8,}\.[\w-]*/g;

/** Why verification failed, on one short line with anything shaped like a token removed. */
export function refusalReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (
    message
      .replace(/Bearer\s+\S+/gi, "Bearer [token]")
      .replace(TOKEN_LIKE, "[token]")
      .replace(/\s+/g, " ")
      .trim()
      .slice(0, 200) || "unknown"
  );
}

/** The algorithms Bot Framework signs with (botbuilder's channel token validation parameters). */
const ALGORITHMS = new Set(["RS256", "RS384", "RS512"]);
/** botbuilder's clock tolerance, in seconds. */
const CLOCK_SKEW_S = 300;

function decodePart(part: string | undefined): Record<string, unknown> | null {
  try {
    const value = JSON.parse(Buffer.from(part ?? "", "base64url").toString("utf8")) as unknown;
    return value && typeof value === "object" ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * What the token's own header and claims already refuse (not a bearer JWT, an algorithm Bot
 * Framework never uses such as "none", expired, not yet valid), decided before botbuilder looks
 * at it: botbuilder prints an expired token's stack trace to stderr. Null: let botbuilder verify.
 */
export function precheck(authorization: string, nowMs: number): string | null {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization.trim())?.[1];
  if (!token) return "no bearer token";
  const [head, body, signature, ...extra] = token.split(".");
  const header = decodePart(head);
  const claims = decodePart(body);
  if (!header || !claims || !signature || extra.length > 0) return "token is not a signed JWT";
  if (typeof header.alg !== "string" || !ALGORITHMS.has(header.alg))
    return "token algorithm is not accepted";
  const now = nowMs / 1000;
  if (typeof claims.exp !== "number" || claims.exp + CLOCK_SKEW_S < now) return "token expired";
  if (typeof claims.nbf === "number" && claims.nbf - CLOCK_SKEW_S > now)
    return "token not yet valid";
  return null;
}

let quieted = 0;
let savedConsoleError = console.error;

/**
 * Runs botbuilder's verification with console.error silenced: on a bad signature it prints the
 * signing keys, once per forged request. Our log gets the reason from the error it throws. The
 * bot itself logs only through pino, so nothing of ours is lost while this runs.
 */
async function withoutConsoleErrors<T>(run: () => Promise<T>): Promise<T> {
  if (quieted++ === 0) {
    savedConsoleError = console.error;
    console.error = () => {};
  }
  try {
    return await run();
  } finally {
    if (--quieted === 0) console.error = savedConsoleError;
  }
}

/** Verifies a request's token; `enabled` false is local testing without an app id. */
export async function verifyRequest(
  auth: ConfigurationBotFrameworkAuthentication,
  activity: Activity,
  authorization: string | undefined,
  options: { enabled: boolean; nowMs: number },
): Promise<Verification> {
  const refused = options.enabled ? precheck(authorization ?? "", options.nowMs) : null;
  if (refused) return { ok: false, reason: refused };
  try {
    return {
      ok: true,
      result: await withoutConsoleErrors(() =>
        auth.authenticateRequest(activity, authorization ?? ""),
      ),
    };
  } catch (error) {
    return { ok: false, reason: refusalReason(error) };
  }
}

/** CloudAdapter that runs a turn for a request this module already verified. */
export class VerifiedCloudAdapter extends CloudAdapter {
  runVerified(
    result: AuthResult,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(result, activity, logic);
  }
}
