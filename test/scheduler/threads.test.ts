import { describe, expect, it } from "vitest";
import { useBothPlatforms } from "../adapters/both-platforms.js";
import { TIIWG_CHANNEL } from "../support/slack-rig.js";
import { CHANNEL, channelInvoke, channelMessage, textOfCall } from "../support/teams-rig.js";

// Quieter channels (issue 13): TIIWG posts to a Slack channel and a Teams channel. An item's
// first reminder starts its thread in each; later ones reply in that thread and leave a
// one-line notice in the channel, once a day; the digest stays top-level; a group that turns
// threads off gets its reminders in the channel again.

const both = useBothPlatforms();

const slackPosts = () =>
  both.slack.fake.callsTo("chat.postMessage").filter((c) => c.args.channel === TIIWG_CHANNEL);
const teamsPosts = () => both.connector.posts().filter((p) => p.path.includes(CHANNEL));
const text = (call: { args: Record<string, unknown> }) => JSON.stringify(call.args.blocks);

async function tickAt(iso: string) {
  both.slack.h.clock.set(iso);
  await both.scheduler().tick();
}

describe("reminders about one commitment in its thread", () => {
  it("start a thread per channel, reply in it with one channel notice a day, and stop when threads are off", async () => {
    await both.teams.post(channelMessage(both.connector, "admin", "bind TIIWG"));
    const added = await both.slack.h.say(
      "sara",
      "add TIIWG Threaded report due 2026-12-10 owner COMCE (MX)",
    );
    const ref = /TIIWG-\d+/.exec(added)?.[0] as string;

    // Thursday 3 December, 09:00 in Mexico City: the reminder 7 days before starts the thread.
    let slackSeen = slackPosts().length;
    let teamsSeen = teamsPosts().length;
    await tickAt("2026-12-03T15:01:00Z");
    const [root, ...noMore] = slackPosts().slice(slackSeen);
    expect(noMore).toHaveLength(0);
    expect(root?.args.thread_ts).toBeUndefined();
    expect(text(root!)).toContain(`Reminder: ${ref}`);
    const rootTs = both.slack.fake.history
      .get(TIIWG_CHANNEL)
      ?.find((m) => m.text === root?.args.text)?.ts as string;
    const [teamsRoot] = teamsPosts().slice(teamsSeen);
    expect(teamsRoot?.path).toBe(`/v3/conversations/${CHANNEL}/activities`);
    // Each channel's thread root is remembered for the item.
    const roots = await both.slack.h.app.database.db
      .selectFrom("item_threads")
      .select(["platform", "channel_id", "thread_id"])
      .orderBy("platform")
      .execute();
    expect(roots.map((r) => [r.platform, r.channel_id])).toEqual([
      ["slack", TIIWG_CHANNEL],
      ["teams", CHANNEL],
    ]);
    expect(roots[0]?.thread_id).toBe(rootTs);
    const teamsRootId = roots[1]?.thread_id as string;

    // On Teams, where the bot hears only @mentions, "@CMP …" in the item's thread that is no
    // command is offered as a note; the offer's button adds it, once.
    const notes = await both.slack.h.count("commitment_updates");
    const offerAt = both.connector.posts().length;
    await both.teams.post(
      channelMessage(both.connector, "member", "Draft sent to both ministries", {
        thread: teamsRootId,
      }),
    );
    const [offer] = both.connector.posts().slice(offerAt);
    expect(offer?.path).toContain(`${CHANNEL};messageid=${teamsRootId}`);
    expect(textOfCall(offer!)).toContain(`Add as note to ${ref}?`);
    const value = `${ref}\nDraft sent to both ministries`;
    expect(JSON.stringify(offer?.body)).toContain('"verb":"item.add_note"');
    expect(await both.slack.h.count("commitment_updates")).toBe(notes);
    const click = channelInvoke(
      both.connector,
      "member",
      "adaptiveCard/action",
      {
        action: { type: "Action.Execute", verb: "item.add_note", data: { ref: value } },
        trigger: "manual",
      },
      { id: "f:offer-click" },
    );
    await both.teams.post(click);
    await both.teams.post(click);
    expect(await both.slack.h.count("commitment_updates")).toBe(notes + 1);
    // A command in the thread is still a command.
    const commandAt = both.connector.posts().length;
    await both.teams.post(
      channelMessage(both.connector, "member", `show ${ref}`, { thread: teamsRootId }),
    );
    expect(textOfCall(both.connector.posts()[commandAt]!)).toContain(
      "Draft sent to both ministries",
    );

    // Monday 7 December: the weekly digest stays in the channel itself.
    slackSeen = slackPosts().length;
    await tickAt("2026-12-07T15:01:00Z");
    const digest = slackPosts()
      .slice(slackSeen)
      .find((c) => text(c).includes("Weekly digest"));
    expect(digest?.args.thread_ts).toBeUndefined();

    // Wednesday 9 December: the reminder goes into the thread, a one-line notice into the channel.
    slackSeen = slackPosts().length;
    teamsSeen = teamsPosts().length;
    await tickAt("2026-12-09T15:01:00Z");
    const day2 = slackPosts().slice(slackSeen);
    expect(day2).toHaveLength(2);
    expect(day2[0]?.args.thread_ts).toBe(rootTs);
    expect(text(day2[0]!)).toContain("Due tomorrow");
    expect(day2[1]?.args.thread_ts).toBeUndefined();
    expect(String(day2[1]?.args.text)).toContain(`${ref} · Threaded report: Due tomorrow`);
    expect(String(day2[1]?.args.text)).toContain("Más en su hilo.");
    const teamsDay2 = teamsPosts().slice(teamsSeen);
    expect(teamsDay2).toHaveLength(2);
    expect(teamsDay2[0]?.path).toBe(
      `/v3/conversations/${CHANNEL};messageid=${teamsRootId}/activities`,
    );
    expect(teamsDay2[1]?.path).toBe(`/v3/conversations/${CHANNEL}/activities`);
    expect(textOfCall(teamsDay2[1]!)).toContain("More in its thread.");

    // Nothing is posted twice: another tick the same hour adds nothing.
    const before = [slackPosts().length, teamsPosts().length];
    await tickAt("2026-12-09T15:20:00Z");
    expect([slackPosts().length, teamsPosts().length]).toEqual(before);

    // Threads off (in Spanish): the due-day reminder goes to the channel itself.
    expect(await both.slack.h.say("salvador", "programación TIIWG hilos no")).toContain(
      "se publican en el propio canal",
    );
    slackSeen = slackPosts().length;
    await tickAt("2026-12-10T15:01:00Z");
    const day3 = slackPosts().slice(slackSeen);
    expect(day3).toHaveLength(1);
    expect(day3[0]?.args.thread_ts).toBeUndefined();
    expect(text(day3[0]!)).toContain("Due today");
  });

  it("reads threads on and off in the three languages, for co-chairs only", async () => {
    const h = both.slack.h;
    expect(await h.say("chantal", "programmation TIIWG fils non")).toContain("pas dans des fils");
    expect(await h.say("chantal", "schedule TIIWG")).toContain("not its thread");
    expect(await h.say("sara", "schedule TIIWG threads on")).toContain("each commitment's thread");
    expect(await h.say("sara", "schedule TIIWG threads maybe")).toContain(
      "“maybe” is not on or off.",
    );
    expect(await h.say("member", "schedule TIIWG threads off")).not.toContain("not in threads");
    const group = (await h.app.store.groups.byCode("TIIWG"))!;
    expect((await h.app.store.schedule.settings([group.id])).get(group.id)?.threads).toBe(true);
  });
});
