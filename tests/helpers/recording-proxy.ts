/**
 * A reverse proxy in front of the sandbox that remembers every credential passing through it:
 * bearer tokens the dashboard sends, and the access, refresh and ID tokens the identity providers
 * hand out. Leak tests point the dashboard's provider URLs at it, then look for those real values
 * where none may appear.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenToken {
  /** Which sandbox provider it came from or went to, e.g. `meti-identity`, `wellview`. */
  provider: string;
  kind: 'bearer' | 'access_token' | 'refresh_token' | 'id_token';
  value: string;
}

export interface RecordingProxy {
  url: string;
  tokens: SeenToken[];
  /** The newest token of a kind seen for a provider. */
  latest(provider: string, kind: SeenToken['kind']): string | undefined;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'proxy-connection',
  'te',
  'trailer',
  'host',
]);

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

export async function startRecordingProxy(targetUrl: string): Promise<RecordingProxy> {
  const target = new URL(targetUrl);
  const tokens: SeenToken[] = [];

  const handle = async (incoming: IncomingMessage, response: ServerResponse) => {
    const provider = (incoming.url ?? '/').split('/')[1] ?? '';
    const authorization = incoming.headers.authorization;
    const bearer =
      typeof authorization === 'string' ? /^Bearer\s+(\S+)$/i.exec(authorization)?.[1] : undefined;
    if (bearer) tokens.push({ provider, kind: 'bearer', value: bearer });
    const body = await readAll(incoming);
    const headers = Object.fromEntries(
      Object.entries(incoming.headers).filter(([name]) => !HOP_BY_HOP.has(name)),
    );
    const upstream = httpRequest({
      host: target.hostname,
      port: target.port,
      method: incoming.method,
      path: incoming.url,
      headers: { ...headers, 'content-length': String(body.length) },
    });
    upstream.on('response', (answer) => {
      void readAll(answer).then((answerBody) => {
        try {
          const json = JSON.parse(answerBody.toString('utf8')) as Record<string, unknown>;
          for (const kind of ['access_token', 'refresh_token', 'id_token'] as const) {
            const value = json[kind];
            if (typeof value === 'string') tokens.push({ provider, kind, value });
          }
        } catch {
          // Not JSON: nothing to remember.
        }
        const answerHeaders = Object.fromEntries(
          Object.entries(answer.headers).filter(([name]) => !HOP_BY_HOP.has(name)),
        );
        response.writeHead(answer.statusCode ?? 502, {
          ...answerHeaders,
          'content-length': String(answerBody.length),
        });
        response.end(answerBody);
      });
    });
    // The sandbox drops the connection of a provider that is "down": drop ours the same way.
    upstream.on('error', () => incoming.socket.destroy());
    upstream.end(body);
  };

  const server = createServer((incoming, response) => {
    handle(incoming, response).catch(() => incoming.socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tokens,
    latest: (provider, kind) =>
      tokens.filter((token) => token.provider === provider && token.kind === kind).at(-1)?.value,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
