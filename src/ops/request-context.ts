import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";

// A request id that follows one request through everything it causes: the router, the store,
// platform calls and the reply, including work Slack lets us finish after the ack. The logger
// reads it on every line (app.ts), so no function passes it along by hand.

const storage = new AsyncLocalStorage<{ reqId: string }>();

export function withRequestId<T>(reqId: string | undefined, work: () => T): T {
  return storage.run({ reqId: reqId ?? randomUUID() }, work);
}

export function currentRequestId(): string | undefined {
  return storage.getStore()?.reqId;
}
