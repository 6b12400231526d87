import { createInterface } from "node:readline";
import { ConfigError } from "../../config.js";
import type { I18n } from "../../core/i18n.js";
import type { Invocation } from "../../core/invocation.js";
import type { Store } from "../../core/ports.js";
import type { Router } from "../../core/router.js";
import { renderFormAsText, renderText } from "./to-text.js";

export interface ConsoleOptions {
  router: Router;
  store: Store;
  i18n: I18n;
  /** Handle of the person speaking (a `people` key from the import). */
  user: string;
  /** A channel bound to a working group, to try commands "in" that group's channel. */
  channel?: string;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Where notes for the person go (the CSV of `export` goes to output, the rest here). */
  notes: NodeJS.WritableStream;
  interactive: boolean;
  now: () => Date;
}

/** Ensures the speaking person exists and is reachable as a console identity. */
export async function consoleSpeaker(store: Store, handle: string, at: string) {
  let person = await store.people.byHandle(handle);
  // The default speaker is a local administrator, so a fresh database is usable at once.
  if (!person && handle === "secretariat") {
    person = await store.people.upsertByHandle(
      {
        handle,
        displayName: "Local admin",
        isAdmin: true,
        country: null,
        language: null,
        timeZone: null,
      },
      at,
    );
  }
  if (!person) return null;
  await store.people.linkIdentity(person.id, "console", handle);
  return person;
}

/**
 * Reads commands line by line, from a terminal or a pipe, and prints each reply.
 * Ends at end of input, so `printf 'status TIIWG\n' | npm start --silent` is scriptable.
 */
export async function runConsole(options: ConsoleOptions): Promise<void> {
  const person = await consoleSpeaker(options.store, options.user, options.now().toISOString());
  if (!person)
    throw new ConfigError(
      `Unknown console user "${options.user}": use a person key from the imported data.`,
    );
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
        options.notes.write(`${renderText(reply.doc)}\n`);
        options.output.write(reply.content);
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
