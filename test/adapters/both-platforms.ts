import pino from "pino";
import { afterEach, beforeEach } from "vitest";
import { createScheduler } from "../../src/scheduler/runner.js";
import { type Rig, startRig } from "../support/slack-rig.js";
import {
  type FakeConnector,
  linkTeamsAccounts,
  startFakeConnector,
  startTeamsBot,
  type TeamsBot,
} from "../support/teams-rig.js";

// One partnership behind both platforms: the real Slack adapter against its fake, the real Teams
// adapter against a fake Bot Connector, and a scheduler posting through both notifiers.

export interface BothPlatforms {
  slack: Rig;
  connector: FakeConnector;
  teams: TeamsBot;
  /** A fresh scheduler over the shared store, whose pacing moves the test clock. */
  scheduler(): ReturnType<typeof createScheduler>;
  close(): Promise<void>;
}

export async function startBothPlatforms(): Promise<BothPlatforms> {
  const slack = await startRig();
  await linkTeamsAccounts(slack.h);
  const connector = await startFakeConnector();
  const teams = await startTeamsBot(slack.h);
  return {
    slack,
    connector,
    teams,
    scheduler: () =>
      createScheduler({
        store: slack.h.app.store,
        i18n: slack.h.app.i18n,
        clock: slack.h.clock,
        logger: pino({ level: "silent" }),
        notifiers: [slack.adapter.notifier, teams.teams.notifier],
        graceMs: 24 * 3_600_000,
        sleep: async (ms) => slack.h.clock.advance(ms),
      }),
    async close() {
      await teams.close();
      await connector.close();
      await slack.close();
    },
  };
}

/** The same, started before each test of the file and closed after it. */
export function useBothPlatforms(): BothPlatforms {
  const current = {} as BothPlatforms;
  beforeEach(async () => {
    Object.assign(current, await startBothPlatforms());
  });
  afterEach(() => current.close());
  return current;
}
