import { afterEach, describe, expect, it } from 'vitest';
import { unstable_serialize } from 'swr';
import { setGatewayTransportSource } from '@/lib/client/gateway-client';
import { sourcesKey, wellsKey, wellviewTargetKey } from '@/lib/upstreams/data-keys';
import { fallbackOf, seedValue } from '@/lib/upstreams/first-paint';
import { loadSourceRecords, loadSources } from '@/lib/upstreams/meti/client';
import { fetchWellRecords, fetchWells } from '@/lib/upstreams/wellview/client';
import { seedSources, seedWells } from '../../../../sandbox/seed';

const target = { orgUnit: 'o', app: 'a', version: 'v', path: 'o/a/v' };
const wellview = { gatewayPrefix: '/api/wellview', upstreamBaseUrl: 'https://wellview.example/api', fieldMap: { status: 'welltyp1' } };
const meti = { gatewayPrefix: '/api/meti', upstreamBaseUrl: 'https://meti.example/api', fieldMap: {} };

/** Answers every gateway call with `body`, as the server's in-process transport would. */
function answerWith(body: unknown): string[] {
  const calls: string[] = [];
  setGatewayTransportSource(() => async (url) => {
    calls.push(url);
    return Response.json(body);
  });
  return calls;
}

afterEach(() => setGatewayTransportSource(() => undefined));

describe('first-paint seeds', () => {
  it('a well list sent as its records becomes exactly what the browser would have fetched', async () => {
    const records = seedWells(40);
    const calls = answerWith(records);
    const sent = await fetchWellRecords(target, wellview);
    expect(calls).toEqual(['/api/wellview/o/a/v/wellheader/data?limit=5000&offset=0']);
    const rebuilt = seedValue({ kind: 'wells', key: wellsKey(target, wellview), list: structuredClone(sent), fieldMap: wellview.fieldMap });
    expect(rebuilt).toEqual(await fetchWells(target, wellview));
  });

  it('a source list sent as its records becomes exactly what the browser would have fetched', async () => {
    answerWith(seedSources(30));
    const sent = await loadSourceRecords(meti);
    const rebuilt = seedValue({ kind: 'sources', key: sourcesKey(meti, ''), list: structuredClone(sent), fieldMap: {} });
    expect(rebuilt).toEqual(await loadSources(meti));
  });

  it('keys the fallback as SWR keys the hooks', () => {
    const fallback = fallbackOf([{ kind: 'value', key: wellviewTargetKey(null), value: { status: 'choose', candidates: [] } }]);
    expect(Object.keys(fallback)).toEqual([unstable_serialize(['wellview-target', null])]);
  });
});
