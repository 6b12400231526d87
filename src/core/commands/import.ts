import { describeImport } from "../annex/describe.js";
import { planImport } from "../annex/import.js";
import { BotError } from "../errors.js";
import { isWord, todayIn, tokenize, visibleGroups } from "./args.js";
import { command, message } from "./command.js";

const EXAMPLE = "examples:import_chat";
/** An Annex A of thousands of rows is well under this; anything larger is not a tracker. */
export const IMPORT_MAX_BYTES = 5 * 1024 * 1024;

/**
 * `import [apply]` with the edited tracker attached (secretariat only): what it would add and
 * change, and with `apply` the change itself, in one transaction that also claims the request,
 * so a redelivered message applies nothing twice.
 */
export const importCommand = command({
  name: "import",
  permission: "bind",
  // Not a write for the router: the file is fetched first, outside any transaction; the apply
  // claims the request key itself, in the transaction that changes the tracker.
  writes: false,
  example: EXAMPLE,
  parse: (_ctx, text) => tokenize(text),
  async run(ctx, tokens) {
    if (!ctx.actor.person.isAdmin) throw new BotError("errors:admins_only", {}, EXAMPLE);
    const apply = isWord(ctx, "words:keyword.apply", tokens[0]);
    const extra = tokens.slice(apply ? 1 : 0);
    if (extra.length > 0) throw new BotError("errors:document_word", { word: extra[0] }, EXAMPLE);
    const file = ctx.invocation.files?.[0];
    if (!file) throw new BotError("import:no_file", {}, EXAMPLE);
    const tooLarge = () =>
      new BotError(
        "import:too_large",
        { size: ((file.size ?? IMPORT_MAX_BYTES + 1) / 1048576).toFixed(1), max: 5 },
        EXAMPLE,
      );
    if (file.size !== null && file.size > IMPORT_MAX_BYTES) throw tooLarge();
    let bytes: Uint8Array;
    try {
      bytes = await file.download(IMPORT_MAX_BYTES);
    } catch {
      throw new BotError("import:download_failed", { name: file.name }, EXAMPLE);
    }
    const sheets = await ctx.documents.readTable(file.name, bytes);
    const plan = await planImport(
      ctx.store,
      ctx.i18n,
      ctx.l,
      file.name,
      sheets,
      await visibleGroups(ctx),
      todayIn(ctx, "UTC"),
    );
    if (apply && !(await ctx.tracker.importAnnex(plan, ctx.invocation.requestKey)))
      throw new BotError("errors:duplicate", {});
    const doc = describeImport(ctx.l, plan, apply);
    return message("ephemeral", doc.summary, doc.blocks);
  },
});
