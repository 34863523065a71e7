/**
 * A reference for the bench, not part of the dashboard: the least any proxy can do. node:http in,
 * the gateway's undici pool settings out, no Next.js, no session, no checks. Its added latency is
 * the cost of the extra hop alone, so the bench can show how much of the gateway's figure is hop.
 *
 *   tsx bench/bare-proxy.ts <upstream origin> <port>   (prints "ready" when listening)
 */
import { createServer } from 'node:http';
import { Agent, type Dispatcher } from 'undici';

const [upstream, port] = [process.argv[2], Number(process.argv[3])];
if (!upstream || !port) throw new Error('usage: bare-proxy.ts <upstream origin> <port>');

const agent = new Agent({ connections: 128, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 120_000, pipelining: 1 });

const server = createServer((incoming, outgoing) => {
  agent
    .request({
      origin: upstream,
      path: incoming.url ?? '/',
      method: (incoming.method ?? 'GET') as Dispatcher.HttpMethod,
      headers: { authorization: incoming.headers.authorization ?? '', accept: 'application/json' },
    })
    .then(async (response) => {
      const body = Buffer.from(await response.body.arrayBuffer());
      outgoing.writeHead(response.statusCode, {
        'content-type': String(response.headers['content-type'] ?? 'application/octet-stream'),
        'content-length': body.length,
      });
      outgoing.end(body);
    })
    .catch(() => {
      outgoing.writeHead(502).end();
    });
});
server.listen(port, '127.0.0.1', () => console.log('ready'));
process.on('SIGTERM', () => {
  server.close();
  void agent.close();
  process.exit(0);
});
