import { BotError } from "../errors.js";
import type { Page } from "../ports.js";
import type { Block } from "../render/message.js";
import { GROUP_CODE } from "../tracker/rules.js";
import type { Commitment } from "../tracker/types.js";
import { isWord, takeGroup, tokenize, usageError, visibleGroups } from "./args.js";
import { type CommandContext, command, message } from "./command.js";
import { itemList, PAGE_SIZE, word } from "./status.js";

// Listing the tracker a page at a time: list (a group's or every group's items, by filter) and
// mine (what the reader owns).

type ListFilter = "open" | "overdue" | "done" | "all";
const FILTERS: ListFilter[] = ["open", "overdue", "done", "all"];
const PAGE_NUMBER = /^[1-9][0-9]{0,5}$/;

/** A trailing page number ("list TIIWG overdue 2", "mine 3"): the words before it, and the page. */
function takePage(tokens: string[]): { rest: string[]; page: number } {
  const last = tokens[tokens.length - 1];
  return last !== undefined && PAGE_NUMBER.test(last)
    ? { rest: tokens.slice(0, -1), page: Number(last) }
    : { rest: tokens, page: 1 };
}

/**
 * How far `list` and `mine` count: a title reads "(1000+)" past it, and the count costs no more
 * than that however many items match.
 */
const LIST_COUNTED = 1_000;

/** A title's count: the plural follows the number, the text says when there are more. */
function countOf(found: Page<Commitment>) {
  return { count: found.total, n: found.more ? `${found.total}+` : String(found.total) };
}

/** One page of a listing, titled with the total, saying which page it is and how to see the next. */
function pagedList(
  ctx: CommandContext,
  found: Page<Commitment>,
  page: number,
  title: string,
  emptyKey: string,
  /** The command that shows page n, as the reader would type it. */
  commandFor: (n: number) => string,
) {
  const { l } = ctx;
  const pages = Math.max(1, Math.ceil(found.total / PAGE_SIZE));
  if (page > pages && !found.more)
    throw new BotError("errors:past_last_page", { page, pages, command: commandFor(pages) });
  const blocks: Block[] = [
    itemList(ctx, { items: found.items, total: found.items.length }, title, emptyKey),
  ];
  if (pages > 1 || found.more)
    blocks.push({
      type: "context",
      text:
        page < pages || found.more
          ? l.t("status:page_next", {
              page,
              pages: found.more ? `${pages}+` : pages,
              command: commandFor(page + 1),
            })
          : l.t("status:page_last", { page, pages }),
    });
  return message("ephemeral", title, blocks);
}

export const listCommand = command({
  name: "list",
  permission: "see",
  writes: false,
  example: "examples:list",
  parse: (_ctx, text) => takePage(tokenize(text)),
  async run(ctx, { rest: tokens, page }) {
    const { group, rest } = await takeGroup(ctx, tokens, {
      required: false,
      exampleKey: "examples:list",
    });
    // "en retard" is two words: the filter is the whole rest, as displayed or typed.
    const filter =
      rest.length === 0
        ? "open"
        : FILTERS.find((f) => isWord(ctx, `words:filter.${f}`, rest.join(" ")));
    if (!filter) {
      if (rest[0] && !group && GROUP_CODE.test(rest[0]) && rest[0] === rest[0].toUpperCase()) {
        throw new BotError("errors:unknown_group", { code: rest[0] }, "examples:list");
      }
      throw new BotError("errors:unknown_filter", { given: rest.join(" ") }, "examples:list");
    }
    const groupIds = group ? [group.id] : (await visibleGroups(ctx)).map((g) => g.id);
    const where =
      filter === "open"
        ? { open: true }
        : filter === "overdue"
          ? { open: true, dueBefore: ctx.at }
          : filter === "done"
            ? { open: false }
            : {};
    const found = await ctx.store.commitments.page(
      { groupIds, ...where },
      { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE, countUpTo: LIST_COUNTED },
    );
    const scope = group ? group.code : ctx.l.t("common:all_groups");
    const title = ctx.l.t(`status:list_title.${filter}`, { scope, ...countOf(found) });
    const words = [word(ctx, "verbs:list"), group?.code, word(ctx, `words:filter.${filter}`)];
    return pagedList(ctx, found, page, title, "status:list_empty", (n) =>
      [...words, String(n)].filter(Boolean).join(" "),
    );
  },
});

export const mineCommand = command({
  name: "mine",
  permission: "see",
  writes: false,
  example: "examples:mine",
  parse(ctx, text) {
    const { rest, page } = takePage(tokenize(text));
    if (rest.length > 0) throw usageError(ctx, "mine");
    return page;
  },
  async run(ctx, page) {
    const groups = await visibleGroups(ctx);
    const found = await ctx.store.commitments.page(
      { ownerPersonId: ctx.actor.person.id, open: true, groupIds: groups.map((g) => g.id) },
      { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE, countUpTo: LIST_COUNTED },
    );
    const title = ctx.l.t("status:mine_title", countOf(found));
    return pagedList(
      ctx,
      found,
      page,
      title,
      "status:mine_empty",
      (n) => `${word(ctx, "verbs:mine")} ${n}`,
    );
  },
});
