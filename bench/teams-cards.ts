import { performance } from "node:perf_hooks";
import { renderCards } from "../src/adapters/teams/to-adaptive-card.js";
import type { MessageDoc } from "../src/core/render/message.js";

// Rendering a reply as Adaptive Cards (with the split under Teams' size limit) against a
// baseline measured in the same run: serialising the same reply to JSON once, the least any
// renderer does. The ratio should stay flat as the list grows; a rising one means the
// splitting went quadratic.
//   npx tsx bench/teams-cards.ts

function doc(items: number): MessageDoc {
  return {
    summary: "All commitments",
    blocks: [
      { type: "header", text: "TIIWG — Trade, Investment and Innovation" },
      {
        type: "list",
        title: "Open",
        items: Array.from({ length: items }, (_, i) => ({
          text: `TIIWG-${i + 1} · Joint trade mission roadmap with ProMéxico and COMCE`,
          detail: "In progress · Due: Q1 2018 · COMCE (Mexico), NRCan (Canada)",
          actions: [
            { id: "item.done" as const, label: "Mark done", value: `TIIWG-${i + 1}` },
            { id: "item.note" as const, label: "Add a note", value: `TIIWG-${i + 1}` },
          ],
        })),
      },
    ],
  };
}

function time(run: () => unknown, minMs = 200): number {
  let rounds = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) {
    run();
    rounds++;
  }
  return (performance.now() - start) / rounds;
}

process.stdout.write("items   cards   baseline ms   render ms   ratio\n");
for (const size of [10, 100, 1_000, 10_000]) {
  const reply = doc(size);
  const baseline = time(() => JSON.stringify(reply));
  const render = time(() => renderCards(reply));
  const cards = renderCards(reply).length;
  process.stdout.write(
    `${String(size).padStart(5)}   ${String(cards).padStart(5)}   ${baseline.toFixed(3).padStart(11)}   ${render.toFixed(3).padStart(9)}   ${(render / baseline).toFixed(1).padStart(5)}\n`,
  );
}
