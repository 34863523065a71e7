/**
 * WellView well headers reshaped into the app's {@link Well}: every field found through the column
 * aliases (WellView's own names, camelCase, snake_case, nested `location.*`, GeoJSON coordinates)
 * or the operator's `WELLVIEW_FIELD_MAP`. Pure and isomorphic.
 */
import {
  mapRecord,
  withOverrideColumns,
  type ColumnSpec,
  type ColumnValue,
  type FieldOverrides,
} from '@/lib/upstreams/shared/field-map';

/** The well columns the pages know, with the names real answers use for each. */
export const WELL_COLUMNS = [
  {
    key: 'id',
    label: 'WellView id',
    kind: 'text',
    aliases: ['idwell', 'wellId', 'id', 'guid', 'uuid', 'key'],
  },
  {
    key: 'name',
    label: 'Well',
    kind: 'text',
    aliases: ['wellname', 'wellName', 'name', 'wellLabel', 'displayName', 'title', 'well.name'],
  },
  {
    key: 'uwi',
    label: 'UWI',
    kind: 'text',
    aliases: [
      'wellida',
      'uwi',
      'api',
      'api14',
      'apiNumber',
      'api10',
      'apiNo',
      'identifiers.uwi',
      'identifiers.api14',
      'identifiers.api',
      'ids.uwi',
      'ids.api',
    ],
  },
  {
    key: 'operator',
    label: 'Operator',
    kind: 'text',
    aliases: ['operator', 'operatorName', 'operator.name', 'company', 'companyName', 'company.name', 'owner'],
  },
  {
    key: 'field',
    label: 'Field',
    kind: 'text',
    aliases: ['fieldname', 'fieldName', 'field', 'field.name', 'location.field', 'location.fieldName'],
  },
  {
    key: 'state',
    label: 'State',
    kind: 'text',
    aliases: [
      'stateprov',
      'stateProvince',
      'state',
      'province',
      'location.state',
      'location.stateProvince',
      'location.stateprov',
      'location.province',
      'location.region',
      'address.state',
      'region',
    ],
  },
  {
    key: 'status',
    label: 'Status',
    kind: 'text',
    aliases: [
      'currentwellstatus1',
      'currentWellStatus',
      'wellStatus',
      'status',
      'status.name',
      'currentStatus',
    ],
  },
  {
    key: 'type',
    label: 'Type',
    kind: 'text',
    aliases: ['welltyp1', 'wellType', 'wellTyp', 'type', 'type.name', 'wellClass'],
  },
  {
    key: 'spud',
    label: 'Spud date',
    kind: 'date',
    aliases: ['dttmspud', 'spudDate', 'spud', 'dateSpud', 'spudDttm', 'dates.spud', 'dates.spudDate'],
  },
  {
    key: 'depth',
    label: 'Total depth (ft)',
    kind: 'number',
    aliases: [
      'totaldepth',
      'totalDepth',
      'td',
      'totalDepthFt',
      'depth.total',
      'depthTotal',
      'measuredDepth',
      'md',
      'depth',
    ],
  },
  {
    key: 'county',
    label: 'County',
    kind: 'text',
    aliases: ['county', 'countyParish', 'parish', 'location.county', 'address.county'],
  },
  {
    key: 'country',
    label: 'Country',
    kind: 'text',
    aliases: ['country', 'countryName', 'countryCode', 'location.country', 'address.country'],
  },
  {
    key: 'latitude',
    label: 'Latitude',
    kind: 'coordinate',
    aliases: [
      'latitude',
      'lat',
      'surfaceLatitude',
      'latitudeSurface',
      'location.latitude',
      'location.lat',
      'coordinates.lat',
      'coordinates.latitude',
      'position.lat',
      'coordinates[1]',
      'location.coordinates[1]',
      'geometry.coordinates[1]',
    ],
  },
  {
    key: 'longitude',
    label: 'Longitude',
    kind: 'coordinate',
    aliases: [
      'longitude',
      'lon',
      'lng',
      'long',
      'surfaceLongitude',
      'longitudeSurface',
      'location.longitude',
      'location.lon',
      'location.lng',
      'coordinates.lon',
      'coordinates.lng',
      'coordinates.longitude',
      'position.lng',
      'coordinates[0]',
      'location.coordinates[0]',
      'geometry.coordinates[0]',
    ],
  },
  {
    key: 'elevation',
    label: 'Elevation (ft)',
    kind: 'number',
    aliases: ['elevation', 'groundElevation', 'elevationGround', 'elvground', 'elevation.ground'],
  },
  {
    key: 'created',
    label: 'Created',
    kind: 'date',
    aliases: ['sysCreateDate', 'createdAt', 'created', 'createDate', 'dateCreated'],
  },
  {
    key: 'modified',
    label: 'Last modified',
    kind: 'date',
    aliases: ['sysModDate', 'modifiedAt', 'updatedAt', 'modified', 'lastModified', 'dateModified'],
  },
] as const satisfies readonly ColumnSpec[];

export type WellColumnKey = (typeof WELL_COLUMNS)[number]['key'];

/** The columns a wells list shows before the user chooses (minus any empty on every row). */
export const DEFAULT_WELL_COLUMNS: WellColumnKey[] = [
  'name',
  'uwi',
  'operator',
  'field',
  'state',
  'status',
  'spud',
];

/**
 * WellView's own field names accepted as override keys too, so `WELLVIEW_FIELD_MAP` may say
 * `wellida=...` as well as `uwi=...`.
 */
const OVERRIDE_SYNONYMS: Record<string, WellColumnKey> = {
  idwell: 'id',
  wellname: 'name',
  wellida: 'uwi',
  fieldname: 'field',
  stateprov: 'state',
  dttmspud: 'spud',
  spuddate: 'spud',
  currentwellstatus1: 'status',
  welltyp1: 'type',
  totaldepth: 'depth',
};

/** The operator's overrides with WellView's field names turned into column keys. */
export function wellOverrides(overrides: FieldOverrides = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, path] of Object.entries(overrides))
    out[OVERRIDE_SYNONYMS[key.toLowerCase()] ?? key] = path;
  return out;
}

/** A well as the pages show it. Every known column is here, `null` when the record lacks it. */
export interface Well {
  id: string;
  name: string | null;
  uwi: string | null;
  operator: string | null;
  field: string | null;
  state: string | null;
  county: string | null;
  country: string | null;
  latitude: number | null;
  longitude: number | null;
  /** ISO date (or `YYYY-MM-DD`). */
  spudDate: string | null;
  status: string | null;
  type: string | null;
  totalDepth: number | null;
  elevation: number | null;
  created: string | null;
  modified: string | null;
}

/** One row of the wells list: the well, every mapped column (operator extras too), the raw record. */
export interface WellRow {
  well: Well;
  /** Column key → value for every column, including operator-added ones. */
  values: Record<string, ColumnValue>;
  raw: unknown;
  /** Why the record is incomplete (no id), when it is. */
  malformed: string | null;
  /** Lower-cased name, UWI, operator, field and id, for fast filtering. */
  haystack: string;
}

function str(value: ColumnValue): string | null {
  return value === null ? null : String(value);
}

function num(value: ColumnValue): number | null {
  return typeof value === 'number' ? value : null;
}

/** The columns and override map for one dataset, worked out once rather than per record. */
export interface WellMapping {
  columns: ColumnSpec[];
  overrides: Record<string, string>;
}

/** The well columns plus any the operator added, and the overrides keyed by column. */
export function wellMapping(overrides?: FieldOverrides): WellMapping {
  const map = wellOverrides(overrides);
  return { columns: withOverrideColumns(WELL_COLUMNS, map), overrides: map };
}

/** Turns one raw well header into a {@link WellRow}; `index` names a record without an id. */
export function toWellRow(raw: unknown, index: number, mapping: WellMapping = wellMapping()): WellRow {
  const values = mapRecord(raw, mapping.columns, mapping.overrides);
  const pick = (key: string): ColumnValue => values[key] ?? null;
  const latitude = num(pick('latitude'));
  const id = str(pick('id'));
  const well: Well = {
    id: id ?? `record-${index + 1}`,
    name: str(pick('name')),
    uwi: str(pick('uwi')),
    operator: str(pick('operator')),
    field: str(pick('field')),
    state: str(pick('state')),
    county: str(pick('county')),
    country: str(pick('country')),
    // A latitude beyond ±90 is a mislabelled longitude, not a place.
    latitude: latitude !== null && Math.abs(latitude) <= 90 ? latitude : null,
    longitude: num(pick('longitude')),
    spudDate: str(pick('spud')),
    status: str(pick('status')),
    type: str(pick('type')),
    totalDepth: num(pick('depth')),
    elevation: num(pick('elevation')),
    created: str(pick('created')),
    modified: str(pick('modified')),
  };
  const haystack = [well.name, well.uwi, well.operator, well.field, id]
    .filter(Boolean)
    .join(' ')
    .toLowerCase();
  return { well, values, raw, malformed: id === null ? 'This record has no well id.' : null, haystack };
}

/** Every raw record as a row; records that are not objects are kept (as malformed), never dropped. */
export function toWellRows(records: readonly unknown[], overrides?: FieldOverrides): WellRow[] {
  const mapping = wellMapping(overrides);
  return records.map((record, index) => toWellRow(record, index, mapping));
}
