// A small LSP client over stdio, enough to ask a language server what an editor asks it.
import { spawn, type ChildProcess } from "node:child_process";

type Message = { id?: number; method?: string; params?: unknown; result?: unknown; error?: unknown };

export class LspClient {
  private readonly child: ChildProcess;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly waiting = new Map<number, (message: Message) => void>();
  readonly notifications: Message[] = [];
  private readonly listeners: ((message: Message) => void)[] = [];

  constructor(command: string, args: string[]) {
    this.child = spawn(command, args, { stdio: ["pipe", "pipe", "ignore"] });
    this.child.stdout!.on("data", (chunk: Buffer) => this.receive(chunk));
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const end = this.buffer.indexOf("\r\n\r\n");
      if (end < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, end).toString())?.[1]);
      if (this.buffer.length < end + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(end + 4, end + 4 + length).toString()) as Message;
      this.buffer = this.buffer.subarray(end + 4 + length);
      if (message.id !== undefined && !message.method) this.waiting.get(message.id)?.(message);
      else if (message.id !== undefined && message.method) this.send({ id: message.id, result: message.method === "workspace/configuration" ? [this.configuration] : null });
      else {
        this.notifications.push(message);
        for (const listener of this.listeners) listener(message);
      }
    }
  }

  /** What the server is told when it asks for its settings. */
  configuration: unknown = {};

  private send(message: Message): void {
    const text = JSON.stringify({ jsonrpc: "2.0", ...message });
    this.child.stdin!.write(`Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
  }

  request<T>(method: string, params: unknown): Promise<T> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, (message) => (message.error ? reject(new Error(JSON.stringify(message.error))) : resolve(message.result as T)));
      this.send({ id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.send({ method, params });
  }

  /** The next notification of `method` that `match` accepts. */
  waitFor(method: string, match: (params: never) => boolean, timeoutMs = 15_000): Promise<never> {
    const found = this.notifications.find((m) => m.method === method && match(m.params as never));
    if (found) return Promise.resolve(found.params as never);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${method} came`)), timeoutMs);
      this.listeners.push((m) => {
        if (m.method === method && match(m.params as never)) {
          clearTimeout(timer);
          resolve(m.params as never);
        }
      });
    });
  }

  close(): void {
    this.child.kill();
  }
}
