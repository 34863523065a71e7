/**
 * WellView reads data under `<org unit>/<app>/<version>/...`. This module works out which one from
 * whatever `GET /user` answers: `defaults`, `orgUnits[]` keyed by `id`, `code` or `name`, apps
 * nested under org units or listed flat (`name`/`app`/`appName`, `versions`/`version`/
 * `defaultVersion`, a ready `path`), camelCase or snake_case. Configured values always win, even
 * one or two of the three. Pure and isomorphic (the server runs it; its types reach the browser).
 */
import { normalizeKey } from '@/lib/upstreams/shared/paths';

/** One place to read wells from. `path` is what goes into URLs (segments already encoded). */
export interface WellviewTarget {
  orgUnit: string;
  app: string;
  version: string;
  path: string;
  /** Human names where `/user` gave them (`displayName`), for the picker. */
  orgUnitLabel?: string;
  appLabel?: string;
}

export const TARGET_VARIABLES = ['WELLVIEW_ORG_UNIT', 'WELLVIEW_APP', 'WELLVIEW_APP_VERSION'] as const;

export type TargetDiscovery =
  | { status: 'resolved'; target: WellviewTarget; source: 'configured' | 'user' | 'chosen' }
  | { status: 'choose'; candidates: WellviewTarget[] }
  | { status: 'none'; reported: string[]; configure: (typeof TARGET_VARIABLES)[number][]; message: string };

export interface ConfiguredTarget {
  orgUnit?: string;
  app?: string;
  version?: string;
}

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first of `names` present on `object` ignoring naming style. */
function field(object: Obj, names: readonly string[]): unknown {
  const keys = new Map(Object.keys(object).map((key) => [normalizeKey(key), key]));
  for (const name of names) {
    const key = keys.get(normalizeKey(name));
    if (key !== undefined && object[key] !== undefined && object[key] !== null) return object[key];
  }
  return undefined;
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function textField(object: Obj, names: readonly string[]): string | undefined {
  return text(field(object, names));
}

function list(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  // `{ "<id>": { ... } }` maps are lists keyed by id.
  if (isObj(value))
    return Object.entries(value).map(([key, item]) => (isObj(item) ? { id: key, ...item } : item));
  return [];
}

const ORG_UNIT_LISTS = [
  'orgUnits',
  'organizationUnits',
  'organisationUnits',
  'orgs',
  'organizations',
  'units',
];
const ORG_UNIT_IDS = [
  'id',
  'orgUnitId',
  'code',
  'orgUnitCode',
  'key',
  'name',
  'orgUnit',
  'orgUnitName',
  'slug',
];
const ORG_UNIT_REFS = [
  'orgUnit',
  'orgUnitId',
  'orgUnitCode',
  'orgUnitName',
  'org',
  'organization',
  'organisation',
  'unit',
];
const APP_LISTS = ['apps', 'applications', 'appList', 'products'];
const APP_IDS = ['name', 'app', 'appName', 'id', 'appId', 'code', 'appCode', 'key', 'slug', 'application'];
const LABELS = ['displayName', 'title', 'label', 'description', 'fullName'];
const VERSION_LISTS = ['versions', 'appVersions', 'availableVersions'];
const VERSION_ONE = ['version', 'appVersion', 'currentVersion', 'latestVersion'];
const DEFAULT_VERSION = ['defaultVersion', 'default'];
const DEFAULTS = [
  'defaults',
  'default',
  'defaultTarget',
  'current',
  'currentTarget',
  'target',
  'selected',
  'preferences',
];

interface Draft {
  orgUnit?: string;
  app?: string;
  version?: string;
  path?: string;
  orgUnitLabel?: string;
  appLabel?: string;
  /** 2: `/user`'s own defaults; 1: a default flag or `defaultVersion`; 0: merely listed. */
  rank: number;
}

/** `org/app/version`, trimmed of slashes; segments other than these three stay in the path. */
function splitPath(path: string): { orgUnit?: string; app?: string; version?: string; path: string } | null {
  const clean = path.trim().replace(/^\/+|\/+$/g, '');
  if (!clean || /(^|\/)\.\.?(\/|$)/.test(clean) || /[?#\\]/.test(clean)) return null;
  const segments = clean.split('/');
  if (segments.length !== 3) return { path: clean };
  const [orgUnit, app, version] = segments.map((segment) => safeDecode(segment));
  return { orgUnit, app, version, path: clean };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function versionsOf(app: Obj): { versions: string[]; preferred?: string } {
  const preferred = textField(app, DEFAULT_VERSION);
  const versions: string[] = [];
  for (const item of list(field(app, VERSION_LISTS))) {
    const version =
      text(item) ?? (isObj(item) ? textField(item, ['version', 'name', 'id', 'number', 'code']) : undefined);
    if (version) versions.push(version);
    if (
      isObj(item) &&
      (item.default === true || item.isDefault === true || item.is_default === true) &&
      version
    ) {
      return { versions: [version, ...versions.filter((other) => other !== version)], preferred: version };
    }
  }
  const one = textField(app, VERSION_ONE);
  if (one) versions.push(one);
  if (preferred && !versions.includes(preferred)) versions.unshift(preferred);
  return { versions: [...new Set(versions)], preferred };
}

/** Drafts for one app entry, under `orgUnit` when the app sits inside one. */
function appDrafts(app: unknown, orgUnit: { id?: string; label?: string } | null): Draft[] {
  if (typeof app === 'string') return [{ orgUnit: orgUnit?.id, orgUnitLabel: orgUnit?.label, app, rank: 0 }];
  if (!isObj(app)) return [];
  const ready = textField(app, ['path', 'basePath', 'route', 'prefix']);
  const split = ready ? splitPath(ready) : null;
  const refs = field(app, ORG_UNIT_REFS);
  const ownOrg = text(refs) ?? (isObj(refs) ? textField(refs, ORG_UNIT_IDS) : undefined);
  const base: Draft = {
    orgUnit: ownOrg ?? orgUnit?.id ?? split?.orgUnit,
    orgUnitLabel: orgUnit?.label ?? (isObj(refs) ? textField(refs, LABELS) : undefined),
    app: textField(app, APP_IDS) ?? split?.app,
    appLabel: textField(app, LABELS),
    rank: app.default === true || app.isDefault === true || app.is_default === true ? 1 : 0,
  };
  const { versions, preferred } = versionsOf(app);
  if (split) {
    const version = split.version ?? versions[0];
    return [{ ...base, version, path: split.path }];
  }
  if (versions.length === 0) return [base];
  return versions.map((version) => ({
    ...base,
    version,
    rank: version === preferred ? Math.max(base.rank, 1) : base.rank,
  }));
}

function defaultsDraft(user: Obj): Draft | null {
  const raw = field(user, DEFAULTS);
  if (typeof raw === 'string') {
    const split = splitPath(raw);
    return split ? { ...split, rank: 2 } : null;
  }
  if (!isObj(raw)) return null;
  const ready = textField(raw, ['path']);
  const split = ready ? splitPath(ready) : null;
  const orgRef = field(raw, ORG_UNIT_REFS);
  const appRef = field(raw, ['app', 'appName', 'application', 'appId', 'name']);
  return {
    orgUnit: text(orgRef) ?? (isObj(orgRef) ? textField(orgRef, ORG_UNIT_IDS) : undefined) ?? split?.orgUnit,
    app: text(appRef) ?? (isObj(appRef) ? textField(appRef, APP_IDS) : undefined) ?? split?.app,
    version: textField(raw, ['version', 'appVersion', 'versionId']) ?? split?.version,
    path: split?.path,
    rank: 2,
  };
}

/** Every draft target `/user` mentions, however it is shaped. */
export function draftsFromUser(body: unknown): Draft[] {
  const root = isObj(body) ? body : {};
  // Some answers wrap the user: `{ user: {...} }`, `{ data: {...} }`.
  const wrapped = field(root, ['user', 'data', 'profile', 'result']);
  const user =
    isObj(wrapped) && !field(root, [...ORG_UNIT_LISTS, ...APP_LISTS]) ? { ...root, ...wrapped } : root;
  const drafts: Draft[] = [];
  const defaults = defaultsDraft(user);
  if (defaults) drafts.push(defaults);

  const orgUnits: { id?: string; label?: string; raw: unknown }[] = [];
  for (const item of list(field(user, ORG_UNIT_LISTS))) {
    if (typeof item === 'string' || typeof item === 'number') orgUnits.push({ id: String(item), raw: item });
    else if (isObj(item))
      orgUnits.push({ id: textField(item, ORG_UNIT_IDS), label: textField(item, LABELS), raw: item });
  }
  for (const orgUnit of orgUnits) {
    const apps = isObj(orgUnit.raw) ? list(field(orgUnit.raw, APP_LISTS)) : [];
    for (const app of apps) drafts.push(...appDrafts(app, orgUnit));
    if (apps.length === 0) drafts.push({ orgUnit: orgUnit.id, orgUnitLabel: orgUnit.label, rank: 0 });
  }
  for (const app of list(field(user, APP_LISTS))) {
    const own = appDrafts(app, null);
    for (const draft of own) {
      if (draft.orgUnit || draft.path) drafts.push(draft);
      // A flat app without its org unit belongs to every org unit listed beside it.
      else if (orgUnits.length > 0)
        for (const orgUnit of orgUnits)
          drafts.push({ ...draft, orgUnit: orgUnit.id, orgUnitLabel: orgUnit.label });
      else drafts.push(draft);
    }
  }
  const version = textField(user, ['version', 'appVersion', 'defaultVersion']);
  const app = textField(user, ['app', 'appName', 'defaultApp']);
  const orgUnit = textField(user, ['orgUnit', 'orgUnitId', 'defaultOrgUnit']);
  if (version || app || orgUnit) drafts.push({ orgUnit, app, version, rank: 2 });
  return drafts;
}

/** True when `value` names the candidate's org unit (or app) by any of its names. */
function matches(value: string, ...names: (string | undefined)[]): boolean {
  return names.some((name) => name !== undefined && name.toLowerCase() === value.toLowerCase());
}

/**
 * Applies configured values: a configured field that some draft carries narrows to those drafts;
 * one that none carries replaces the field in all of them. Either way the configured value wins.
 */
function applyConfigured(drafts: Draft[], configured: ConfiguredTarget): Draft[] {
  let result = drafts;
  const rules: [keyof ConfiguredTarget, (draft: Draft) => (string | undefined)[]][] = [
    ['orgUnit', (draft) => [draft.orgUnit, draft.orgUnitLabel]],
    ['app', (draft) => [draft.app, draft.appLabel]],
    ['version', (draft) => [draft.version]],
  ];
  for (const [name, namesOf] of rules) {
    const value = configured[name];
    if (!value) continue;
    const narrowed = result.filter((draft) => matches(value, ...namesOf(draft)));
    result = (narrowed.length > 0 ? narrowed : result).map((draft) => {
      if (draft[name] === value) return draft;
      // A ready path no longer describes a target whose parts were replaced.
      return {
        ...draft,
        [name]: value,
        path: undefined,
        ...(name === 'orgUnit' ? { orgUnitLabel: undefined } : name === 'app' ? { appLabel: undefined } : {}),
      };
    });
    if (result.length === 0) result = [{ [name]: value, rank: 2 }];
  }
  return result;
}

interface Candidate {
  target: WellviewTarget;
  rank: number;
}

/** The URL path of a target: its ready path, or its three parts, each encoded. */
export function targetPath(orgUnit: string, app: string, version: string): string {
  return [orgUnit, app, version].map(encodeURIComponent).join('/');
}

function complete(draft: Draft): WellviewTarget | null {
  if (!draft.orgUnit || !draft.app || !draft.version) return null;
  return {
    orgUnit: draft.orgUnit,
    app: draft.app,
    version: draft.version,
    path: draft.path ?? targetPath(draft.orgUnit, draft.app, draft.version),
    ...(draft.orgUnitLabel && draft.orgUnitLabel !== draft.orgUnit
      ? { orgUnitLabel: draft.orgUnitLabel }
      : {}),
    ...(draft.appLabel && draft.appLabel !== draft.app ? { appLabel: draft.appLabel } : {}),
  };
}

/** Field paths of `/user` (arrays as `[]`), for the "none usable" message. Never values. */
export function reportedFields(body: unknown, limit = 40): string[] {
  const out = new Set<string>();
  const visit = (value: unknown, path: string, depth: number) => {
    if (out.size >= limit || depth > 3) return;
    if (Array.isArray(value)) {
      for (const item of value.slice(0, 5)) visit(item, `${path}[]`, depth + 1);
      if (value.length === 0 && path) out.add(`${path}[]`);
    } else if (isObj(value)) {
      for (const [key, item] of Object.entries(value)) {
        const next = path ? `${path}.${key}` : key;
        if (isObj(item) || Array.isArray(item)) visit(item, next, depth + 1);
        else out.add(next);
      }
    } else if (path) out.add(path);
  };
  visit(body, '', 0);
  return [...out].slice(0, limit);
}

/**
 * Decides where to read wells. Fully configured → that target, without `/user`. Otherwise the
 * candidates from `/user` after the configured values: one (or one preferred by `defaults` /
 * `defaultVersion`) → resolved; several → choose; none complete → none, naming what to set.
 * `chosen` is the user's pick (a target path from `?target=` or their preference): honoured
 * only when it is one of the candidates.
 */
export function discoverTarget(
  user: unknown,
  configured: ConfiguredTarget = {},
  chosen?: string | null,
): TargetDiscovery {
  if (configured.orgUnit && configured.app && configured.version) {
    const target = complete({ ...configured, rank: 2 }) as WellviewTarget;
    return { status: 'resolved', target, source: 'configured' };
  }
  const drafts = applyConfigured(draftsFromUser(user), configured);
  const seen = new Map<string, { target: WellviewTarget; rank: number }>();
  for (const draft of drafts) {
    const target = complete(draft);
    if (!target) continue;
    const known = seen.get(target.path);
    if (!known) seen.set(target.path, { target, rank: draft.rank });
    else {
      known.rank = Math.max(known.rank, draft.rank);
      known.target = {
        ...known.target,
        ...((known.target.orgUnitLabel ?? target.orgUnitLabel)
          ? { orgUnitLabel: known.target.orgUnitLabel ?? target.orgUnitLabel }
          : {}),
        ...((known.target.appLabel ?? target.appLabel)
          ? { appLabel: known.target.appLabel ?? target.appLabel }
          : {}),
      };
    }
  }
  const candidates = [...seen.values()];
  if (candidates.length === 0) {
    const given = [configured.orgUnit, configured.app, configured.version];
    const missing = TARGET_VARIABLES.filter((_, index) => !given[index]);
    const reported = reportedFields(user);
    return {
      status: 'none',
      reported,
      configure: [...TARGET_VARIABLES],
      message:
        `WellView's /user answer does not say which org unit, app and version to read` +
        (reported.length > 0 ? ` (it reported: ${reported.join(', ')})` : ' (it reported no fields)') +
        `. Set ${missing.join(', ')} on the dashboard's server.`,
    };
  }
  const picked = chosen
    ? candidates.find((candidate) => candidate.target.path === chosen.replace(/^\/+|\/+$/g, ''))
    : undefined;
  if (picked) return { status: 'resolved', target: picked.target, source: 'chosen' };
  // The strongest preference decides when exactly one candidate holds it; otherwise the user picks.
  for (const rank of [2, 1]) {
    const preferred = candidates.filter((candidate) => candidate.rank >= rank);
    if (preferred.length === 1)
      return { status: 'resolved', target: (preferred[0] as Candidate).target, source: 'user' };
  }
  if (candidates.length === 1)
    return { status: 'resolved', target: (candidates[0] as Candidate).target, source: 'user' };
  return { status: 'choose', candidates: candidates.map((candidate) => candidate.target) };
}
