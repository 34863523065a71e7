import 'server-only';
import { getConfig } from '@/lib/config';
import { processSingleton } from '@/lib/runtime';
import type { UpstreamDefinition, UpstreamName } from '@/lib/upstreams/types';
import { eventsDefinition } from '@/lib/upstreams/events/definition';
import { metiDefinition } from '@/lib/upstreams/meti/definition';
import { wellviewDefinition } from '@/lib/upstreams/wellview/definition';

/** The upstream definitions, built once per process (their limiters hold state). */
export function getUpstream(name: UpstreamName): UpstreamDefinition | null {
  const all = processSingleton('upstreams', () => {
    const config = getConfig();
    return { wellview: wellviewDefinition(config), events: eventsDefinition(config), meti: metiDefinition(config) };
  });
  return all[name];
}
