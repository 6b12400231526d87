import {
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from "botbuilder";
import type { PostResult } from "../../core/notifier.js";
import type { Metrics } from "../../ops/metrics.js";

// How we talk to the Bot Connector: one attempt per call, a deadline, and retries we decide.

type ConnectorFactory = ReturnType<
  ConfigurationBotFrameworkAuthentication["createConnectorFactory"]
>;
type ConnectorClient = Awaited<ReturnType<ConnectorFactory["create"]>>;

interface Pipeline {
  removePolicy(options: { name: string }): unknown;
  addPolicy(policy: {
    name: string;
    sendRequest(
      request: { timeout: number; url: string; method: string },
      next: (request: unknown) => Promise<unknown>,
    ): Promise<unknown>;
  }): void;
}

/** The Azure core policy that retries 429 and 5xx up to three times on its own. */
const SDK_RETRY_POLICY = "defaultRetryPolicy";

/**
 * Bot Framework authentication whose connector clients make a single attempt per call, with a
 * deadline. botbuilder's HTTP pipeline would otherwise retry 429 and 5xx by itself, which posts
 * twice when Teams accepted a message but the answer was lost, and hides the Retry-After a
 * scheduler needs. Interactive replies retry through `sendWithRetry`; scheduled posts do not.
 */
export class SingleAttemptAuthentication extends ConfigurationBotFrameworkAuthentication {
  constructor(
    options: ConfigurationBotFrameworkAuthenticationOptions,
    private readonly timeoutMs: number,
    private readonly metrics?: Metrics,
  ) {
    super(options);
  }

  override createConnectorFactory(
    claimsIdentity: Parameters<
      ConfigurationBotFrameworkAuthentication["createConnectorFactory"]
    >[0],
  ): ConnectorFactory {
    return this.singleAttempts(super.createConnectorFactory(claimsIdentity));
  }

  /** Replies to a request use the factory its verification made: single attempts there too. */
  override async authenticateRequest(
    ...args: Parameters<ConfigurationBotFrameworkAuthentication["authenticateRequest"]>
  ): ReturnType<ConfigurationBotFrameworkAuthentication["authenticateRequest"]> {
    const result = await super.authenticateRequest(...args);
    const factory = result.connectorFactory;
    return { ...result, connectorFactory: factory && this.singleAttempts(factory) };
  }

  private singleAttempts(inner: ConnectorFactory): ConnectorFactory {
    const { timeoutMs, metrics } = this;
    return {
      async create(serviceUrl: string, audience?: string) {
        return singleAttempt(await inner.create(serviceUrl, audience), timeoutMs, metrics);
      },
    };
  }
}

/**
 * A Bot Connector call as a metric label: the HTTP method and the path's words without the ids
 * ("POST conversations.activities"), so conversations do not each become a series.
 */
export function connectorMethod(method: string, url: string): string {
  const words = new URL(url).pathname
    .split("/")
    .filter((part) => /^[a-z]+$/i.test(part) && part !== "v3");
  return `${method.toUpperCase()} ${words.join(".") || "unknown"}`;
}

function singleAttempt(
  client: ConnectorClient,
  timeoutMs: number,
  metrics: Metrics | undefined,
): ConnectorClient {
  // The pipeline is a private field of botbuilder's ServiceClientContext. botbuilder 4.23 is the
  // last release of an archived SDK, so it no longer moves; a test fails if it ever does.
  const pipeline = (client as unknown as { client?: { pipeline?: Pipeline } }).client?.pipeline;
  if (!pipeline)
    throw new Error("botbuilder's connector client changed shape: cannot turn off its retries");
  pipeline.removePolicy({ name: SDK_RETRY_POLICY });
  pipeline.addPolicy({
    name: "cmpRequestDeadline",
    sendRequest: async (request, next) => {
      request.timeout = timeoutMs;
      const method = connectorMethod(request.method, request.url);
      try {
        const response = (await next(request)) as { status?: number };
        const status = response.status ?? 0;
        const result = status === 429 ? "rate_limited" : status < 400 ? "ok" : "error";
        metrics?.platformCall("teams", method, result);
        return response;
      } catch (error) {
        const status = (error as HttpFailure).statusCode;
        metrics?.platformCall("teams", method, status === 429 ? "rate_limited" : "error");
        throw error;
      }
    },
  });
  return client;
}

interface HttpFailure {
  statusCode?: number;
  code?: string;
  response?: { headers?: { get?(name: string): string | undefined } };
}

/** Retry-After in seconds or as an HTTP date, in milliseconds from `now`. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Transport failures in which the request never reached Teams. */
const NOT_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/**
 * What a failed Bot Connector call means for another attempt. Teams documents 429 (with
 * Retry-After), 412, 502, 503 and 504 as transient; 403 (MessageWritesBlocked: the bot was
 * removed or blocked) and other 4xx will not get better; a 500 or a timeout may come after
 * Teams accepted the message.
 */
export function classifyFailure(error: unknown): Exclude<PostResult, { status: "sent" }> {
  const failure = (error ?? {}) as HttpFailure;
  const status = typeof failure.statusCode === "number" ? failure.statusCode : undefined;
  const code = typeof failure.code === "string" ? failure.code : undefined;
  const reason = status ? `HTTP ${status}${code ? ` ${code}` : ""}` : (code ?? "no answer");
  if (status === 429 || status === 412 || status === 502 || status === 503 || status === 504) {
    const wait = retryAfterMs(failure.response?.headers?.get?.("retry-after"));
    return wait === undefined
      ? { status: "retry", reason }
      : { status: "retry", reason, retryAfterMs: wait };
  }
  if (status !== undefined && status >= 400 && status < 500) return { status: "failed", reason };
  if (status === undefined && code && NOT_SENT.has(code)) return { status: "retry", reason };
  return { status: "unknown", reason };
}

export interface RetryPolicy {
  attempts: number;
  /** Total waiting allowed; a longer Retry-After ends the attempts. */
  budgetMs: number;
  sleep?: (ms: number) => Promise<void>;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs an interactive send, retrying transient refusals with back-off and jitter, honouring
 * Retry-After, within a time budget (Teams wants an invoke answered within about 5 s).
 */
export async function sendWithRetry<T>(send: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  const sleep = policy.sleep ?? pause;
  let waited = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      const verdict = classifyFailure(error);
      if (verdict.status !== "retry" || attempt >= policy.attempts) throw error;
      const backoff = 400 * 2 ** (attempt - 1) + Math.floor(Math.random() * 200);
      const wait = verdict.retryAfterMs ?? backoff;
      if (waited + wait > policy.budgetMs) throw error;
      waited += wait;
      await sleep(wait);
    }
  }
}
