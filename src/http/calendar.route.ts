import type { Actor } from "../core/actor.js";
import { buildFeed } from "../core/calendar/feed.js";
import type { I18n } from "../core/i18n.js";
import { canSee } from "../core/policy.js";
import type { Clock, Store } from "../core/ports.js";
import type { RouteHandler } from "./server.js";

// GET /calendar/<token>.ics: a person's calendar subscription. The token is the only credential
// a calendar client can send, so an unknown, revoked or malformed one looks exactly like a
// missing page, and what the feed shows is decided again at every fetch (a person who left a
// restricted group stops seeing its meetings at the next refresh).

export const CALENDAR_PREFIX = "/calendar/";

/** Meetings this far back stay in the feed, so past calls remain in people's calendars. */
const HISTORY_DAYS = 92;
const MAX_EVENTS = 500;
const TOKEN_PATH = /^\/calendar\/([A-Za-z0-9_-]{32,128})\.ics$/;

export function calendarRoute(deps: {
  store: Store;
  i18n: I18n;
  clock: Clock;
  /** The bot's public host: the right-hand side of every event UID. */
  uidDomain: string;
}): RouteHandler {
  const notFound = (res: Parameters<RouteHandler>[1]): void => {
    res.writeHead(404, { "content-type": "text/plain" }).end("not found");
  };

  return async (req, res) => {
    const token = TOKEN_PATH.exec((req.url ?? "").split("?")[0] ?? "")?.[1];
    const grant = token ? await deps.store.calendar.byToken(token) : null;
    const person = grant ? await deps.store.people.byId(grant.personId) : null;
    if (!grant || !person) return notFound(res);
    const actor: Actor = { person, memberships: await deps.store.people.memberships(person.id) };
    const visible = (await deps.store.groups.all()).filter((g) => g.active && canSee(actor, g));
    const group = grant.groupId === null ? null : visible.find((g) => g.id === grant.groupId);
    if (grant.groupId !== null && !group) return notFound(res);
    const l = deps.i18n.localizer(person.language ?? "en");
    const from = new Date(deps.clock.now().getTime() - HISTORY_DAYS * 86_400_000).toISOString();
    const meetings = await deps.store.calendar.meetings(
      group ? [group.id] : visible.map((g) => g.id),
      from,
      MAX_EVENTS,
    );
    const name = group
      ? l.t("calendar:name_group", { code: group.code, name: group.names[l.lang] })
      : l.t("calendar:name_all");
    const body = buildFeed(l, { name, meetings, uidDomain: deps.uidDomain });
    res
      .writeHead(200, {
        "content-type": "text/calendar; charset=utf-8",
        "content-disposition": `inline; filename="${group ? group.code.toLowerCase() : "cmp"}.ics"`,
        // The URL is a secret: shared caches must not keep the feed.
        "cache-control": "private, max-age=300",
      })
      .end(body);
  };
}
