import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { discoverTarget, type TargetDiscovery } from '@/lib/upstreams/wellview/target';

function resolvedPath(result: TargetDiscovery): string | null {
  return result.status === 'resolved' ? result.target.path : null;
}

describe('discoverTarget', () => {
  it('uses the sandbox shape: defaults plus orgUnits[id] and flat apps', () => {
    const user = {
      sub: 'u',
      defaults: { orgUnit: 'demo-org', app: 'wellview', version: 'v10' },
      orgUnits: [{ id: 'demo-org', name: 'Demo Operating Company' }],
      apps: [{ name: 'wellview', versions: ['v10'] }],
    };
    expect(discoverTarget(user)).toMatchObject({
      status: 'resolved',
      source: 'user',
      target: { orgUnit: 'demo-org', app: 'wellview', version: 'v10', path: 'demo-org/wellview/v10' },
    });
  });

  it('reads orgUnits keyed by name with nested apps, versions and defaultVersion (issue 16)', () => {
    const user = {
      orgUnits: [
        {
          name: 'acme',
          displayName: 'Acme Energy',
          apps: [{ name: 'wellview', versions: ['10.1', '11.0'], defaultVersion: '11.0' }],
        },
      ],
    };
    expect(discoverTarget(user)).toMatchObject({
      status: 'resolved',
      target: {
        orgUnit: 'acme',
        orgUnitLabel: 'Acme Energy',
        app: 'wellview',
        version: '11.0',
        path: 'acme/wellview/11.0',
      },
    });
  });

  it('reads flat apps with orgUnit, app, version and a ready path (issue 16)', () => {
    const user = { apps: [{ orgUnit: 'acme', app: 'wellview', version: '11', path: '/acme/wv-prod/11/' }] };
    expect(discoverTarget(user)).toMatchObject({
      status: 'resolved',
      target: { orgUnit: 'acme', app: 'wellview', version: '11', path: 'acme/wv-prod/11' },
    });
  });

  it('reads snake_case', () => {
    const user = {
      org_units: [
        {
          code: 'ACME',
          display_name: 'Acme',
          applications: [{ app_name: 'wellview', default_version: '9' }],
        },
      ],
    };
    expect(resolvedPath(discoverTarget(user))).toBe('ACME/wellview/9');
    expect(
      resolvedPath(discoverTarget({ default_target: { org_unit: 'a', app_name: 'b', app_version: 'c' } })),
    ).toBe('a/b/c');
  });

  it('reads versions given as objects and org units given as a map', () => {
    expect(
      resolvedPath(
        discoverTarget({
          orgUnits: {
            north: {
              apps: [{ appName: 'wv', versions: [{ version: '3', isDefault: true }, { version: '2' }] }],
            },
          },
        }),
      ),
    ).toBe('north/wv/3');
  });

  it('offers a choice when several are listed, and honours a valid choice', () => {
    const user = {
      orgUnits: [
        { id: 'a', apps: [{ name: 'wv', versions: ['1'] }] },
        { id: 'b', apps: [{ name: 'wv', versions: ['1', '2'] }] },
      ],
    };
    const result = discoverTarget(user);
    expect(result.status).toBe('choose');
    expect(result.status === 'choose' && result.candidates.map((candidate) => candidate.path)).toEqual([
      'a/wv/1',
      'b/wv/1',
      'b/wv/2',
    ]);
    expect(discoverTarget(user, {}, 'b/wv/2')).toMatchObject({
      status: 'resolved',
      source: 'chosen',
      target: { path: 'b/wv/2' },
    });
    expect(discoverTarget(user, {}, 'evil/x/y').status).toBe('choose');
  });

  it('lets configured values win, even partially', () => {
    const user = { defaults: { orgUnit: 'a', app: 'wv', version: '1' } };
    expect(discoverTarget(user, { version: '2' })).toMatchObject({
      status: 'resolved',
      target: { path: 'a/wv/2' },
    });
    expect(discoverTarget({}, { orgUnit: 'x', app: 'y', version: 'z' })).toMatchObject({
      status: 'resolved',
      source: 'configured',
      target: { path: 'x/y/z' },
    });
    const several = {
      orgUnits: [
        { id: 'a', apps: [{ name: 'wv', versions: ['1'] }] },
        { id: 'b', apps: [{ name: 'wv', versions: ['1'] }] },
      ],
    };
    expect(resolvedPath(discoverTarget(several, { orgUnit: 'b' }))).toBe('b/wv/1');
    expect(resolvedPath(discoverTarget({ orgUnits: [{ id: 'a' }] }, { app: 'wv', version: '5' }))).toBe(
      'a/wv/5',
    );
  });

  it('says what to configure and which fields /user reported when nothing is usable', () => {
    const result = discoverTarget({ sub: 'u', email: 'e@x', tenants: [{ tenantName: 't' }] });
    expect(result).toMatchObject({
      status: 'none',
      configure: ['WELLVIEW_ORG_UNIT', 'WELLVIEW_APP', 'WELLVIEW_APP_VERSION'],
      reported: ['sub', 'email', 'tenants[].tenantName'],
    });
    expect(result.status === 'none' && result.message).toMatch(
      /WELLVIEW_ORG_UNIT, WELLVIEW_APP, WELLVIEW_APP_VERSION/,
    );
    const partial = discoverTarget({ orgUnits: [{ id: 'a' }] }, { app: 'wv' });
    expect(partial.status === 'none' && partial.message).toMatch(
      /Set WELLVIEW_ORG_UNIT, WELLVIEW_APP_VERSION on/,
    );
    expect(discoverTarget(null).status).toBe('none');
    expect(discoverTarget('<html>').status).toBe('none');
  });

  it('never reports field values, only names', () => {
    const result = discoverTarget({ secretish: 'value-123', nested: { token: 'abc' } });
    expect(JSON.stringify(result)).not.toMatch(/value-123|abc/);
  });

  it('encodes path segments and refuses ready paths that climb', () => {
    expect(resolvedPath(discoverTarget({ defaults: { orgUnit: 'a b', app: 'w/v', version: '1' } }))).toBe(
      'a%20b/w%2Fv/1',
    );
    expect(discoverTarget({ apps: [{ path: '../../admin' }] }).status).toBe('none');
  });

  it('never throws, whatever /user answers', () => {
    fc.assert(
      fc.property(
        fc.anything(),
        fc.record({
          orgUnit: fc.option(fc.string(), { nil: undefined }),
          app: fc.option(fc.string(), { nil: undefined }),
        }),
        (user, configured) => {
          const result = discoverTarget(user, configured);
          expect(['resolved', 'choose', 'none']).toContain(result.status);
        },
      ),
      { numRuns: 300 },
    );
  });
});
