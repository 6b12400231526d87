import { createHash } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import type { FakeSlack } from "./fake-slack.js";

// Slack's Socket Mode side on loopback: apps.connections.open hands out a ws:// URL, and this
// minimal WebSocket server (RFC 6455 text, ping and close frames) sends envelopes and records
// the client's acknowledgements.

export interface FakeSocketMode {
  /** Sends one envelope (slash_commands, interactive, events_api) to the connected app. */
  send(envelope: { envelope_id: string; type: string; payload: unknown }): void;
  acks: { envelope_id: string; payload?: unknown }[];
  connected: Promise<void>;
  close(): Promise<void>;
}

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

function frame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const header =
    length < 126
      ? Buffer.from([0x80 | opcode, length])
      : length < 65536
        ? Buffer.from([0x80 | opcode, 126, length >> 8, length & 0xff])
        : Buffer.concat([Buffer.from([0x80 | opcode, 127]), bigLength(length)]);
  return Buffer.concat([header, payload]);
}

function bigLength(length: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(length));
  return b;
}

/** Reads the complete client frames (always masked) at the start of `buffer`. */
function readFrames(buffer: Buffer): {
  frames: { opcode: number; payload: Buffer }[];
  rest: Buffer;
} {
  const frames: { opcode: number; payload: Buffer }[] = [];
  let offset = 0;
  while (buffer.length - offset >= 2) {
    const opcode = (buffer[offset] as number) & 0x0f;
    let length = (buffer[offset + 1] as number) & 0x7f;
    let cursor = offset + 2;
    if (length === 126) {
      if (buffer.length < cursor + 2) break;
      length = buffer.readUInt16BE(cursor);
      cursor += 2;
    } else if (length === 127) {
      if (buffer.length < cursor + 8) break;
      length = Number(buffer.readBigUInt64BE(cursor));
      cursor += 8;
    }
    if (buffer.length < cursor + 4 + length) break;
    const mask = buffer.subarray(cursor, cursor + 4);
    const payload = Buffer.from(buffer.subarray(cursor + 4, cursor + 4 + length));
    for (let i = 0; i < payload.length; i += 1)
      payload[i] = (payload[i] as number) ^ (mask[i % 4] as number);
    frames.push({ opcode, payload });
    offset = cursor + 4 + length;
  }
  return { frames, rest: buffer.subarray(offset) };
}

export async function startFakeSocketMode(
  fake: FakeSlack,
  appToken: string,
): Promise<FakeSocketMode> {
  const acks: FakeSocketMode["acks"] = [];
  let socket: Duplex | undefined;
  let markConnected: () => void = () => {};
  const connected = new Promise<void>((resolve) => {
    markConnected = resolve;
  });
  const server = createServer((_req, res) => res.writeHead(404).end());
  server.on("upgrade", (req: IncomingMessage, conn: Duplex) => {
    const key = String(req.headers["sec-websocket-key"]);
    const accept = createHash("sha1")
      .update(key + GUID)
      .digest("base64");
    conn.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    socket = conn;
    let pending: Buffer = Buffer.alloc(0);
    conn.on("data", (chunk: Buffer) => {
      const { frames, rest } = readFrames(Buffer.concat([pending, chunk]));
      pending = rest;
      for (const f of frames) {
        if (f.opcode === 0x1) acks.push(JSON.parse(f.payload.toString("utf8")));
        else if (f.opcode === 0x9) conn.write(frame(0xa, f.payload));
        else if (f.opcode === 0x8) {
          conn.end(frame(0x8, f.payload));
          socket = undefined;
        }
      }
    });
    conn.on("error", () => {});
    conn.write(frame(0x1, Buffer.from(JSON.stringify({ type: "hello", num_connections: 1 }))));
    markConnected();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const wsUrl = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/link`;
  fake.on("apps.connections.open", (_args, res) => {
    const ok = fake.calls.at(-1)?.token === appToken;
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(ok ? { ok: true, url: wsUrl } : { ok: false, error: "invalid_auth" }));
    return true;
  });

  return {
    acks,
    connected,
    send(envelope) {
      if (!socket) throw new Error("no Socket Mode client connected");
      socket.write(
        frame(0x1, Buffer.from(JSON.stringify({ ...envelope, accepts_response_payload: true }))),
      );
    },
    close: () =>
      new Promise((resolve) => {
        socket?.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
