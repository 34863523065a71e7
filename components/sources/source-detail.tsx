'use client';

import { ShapedRecordView } from '@/components/data/shaped-record-view';
import { sourceKey } from '@/lib/upstreams/data-keys';
import { loadSource, sourceSpecs, type MetiClientSettings } from '@/lib/upstreams/meti/client';

export function SourceDetail({ id, settings }: { id: string; settings: MetiClientSettings }) {
  return (
    <ShapedRecordView
      cacheKey={sourceKey(settings, id)}
      load={() => loadSource(settings, id)}
      specs={sourceSpecs(settings.fieldMap)}
      fallbackTitle="Emission source"
      back={{ href: '/sources', label: 'Sources' }}
    />
  );
}
