import { existsSync, writeFileSync } from "node:fs";
import { basename, extname, join } from "node:path";
import { createInterface } from "node:readline";
import type { I18n } from "../../core/i18n.js";
import type { Invocation } from "../../core/invocation.js";
import type { Router } from "../../core/router.js";
import type { Person } from "../../core/tracker/types.js";
import { renderFormAsText, renderText } from "./to-text.js";

export interface ConsoleOptions {
  router: Router;
  i18n: I18n;
  /** Handle of the person speaking (a `people` key from the import). */
  user: string;
  /** That person, known to the store as a console identity (app.ts consoleSpeaker). */
  speaker: Pick<Person, "displayName" | "language">;
  /** A channel bound to a working group, to try commands "in" that group's channel. */
  channel?: string;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** The folder files (exports, reports) are saved in. */
  filesDir: string;
  interactive: boolean;
}

/**
 * Reads commands line by line, from a terminal or a pipe, and prints each reply.
 * Ends at end of input, so `printf 'status TIIWG\n' | npm start --silent` is scriptable.
 */
export async function runConsole(options: ConsoleOptions): Promise<void> {
  const person = options.speaker;
  const write = (text: string) => options.output.write(`${text}\n`);
  const lines = createInterface({ input: options.input, terminal: false });
  if (options.interactive) {
    const lang = person.language ?? "en";
    write(options.i18n.localizer(lang).t("console:welcome", { name: person.displayName }));
    options.output.write("cmp> ");
  }
  for await (const line of lines) {
    const text = line.trim();
    if (text && !text.startsWith("#")) {
      const invocation: Invocation = {
        platform: "console",
        text,
        actor: { userId: options.user, displayName: person.displayName },
        channelId: options.channel ?? null,
      };
      const reply = await options.router.handle(invocation);
      if (reply.kind === "message") write(renderText(reply.doc));
      else if (reply.kind === "file") {
        // A file is saved beside the person, never over one already there, and named.
        const path = freePath(options.filesDir, reply.filename);
        writeFileSync(path, reply.content, { flag: "wx" });
        const saved = options.i18n.localizer(reply.lang).t("console:file_saved", { path });
        write(`${renderText(reply.doc)}\n  ${saved}`);
      } else {
        const l = options.i18n.localizer(reply.lang);
        const example = l.t(`examples:${reply.form.id === "note" ? "note" : reply.form.id}`);
        write(renderFormAsText(reply.form, l.t("forms:console_hint", { example })));
      }
      if (options.interactive) write("");
    }
    if (options.interactive) options.output.write("cmp> ");
  }
  if (options.interactive) write("");
}

/** `name` in `dir`, or `name-2`, `name-3`… when that file exists. */
function freePath(dir: string, filename: string): string {
  const name = basename(filename);
  const extension = extname(name);
  const stem = name.slice(0, name.length - extension.length);
  let path = join(dir, name);
  for (let n = 2; existsSync(path); n++) path = join(dir, `${stem}-${n}${extension}`);
  return path;
}
