import type { ServerResponse } from 'node:http';
import type { DemoUser, ProviderName } from './defaults';
import type { SandboxRequest } from './http';
import type { SigningKey } from './keys';
import type { SandboxProfile } from './profiles';
import type { EventRecord, SourceRecord, WellRecord } from './seed';
import type { SandboxState } from './state';

/** Everything the fake providers share inside one sandbox process. */
export interface SandboxContext {
  publicUrl: string;
  /** Which response shapes the APIs answer in (`standard` unless SANDBOX_PROFILE says otherwise). */
  profile: SandboxProfile;
  /** The accounts that can sign in at the fake Peloton under this profile. */
  users: readonly DemoUser[];
  state: SandboxState;
  keys: Record<'peloton' | 'events-identity' | 'meti-identity', SigningKey>;
  issuers: Record<'peloton' | 'events-identity' | 'meti-identity', string>;
  data: {
    wells: WellRecord[];
    events: EventRecord[];
    sources: SourceRecord[];
  };
  /** Extra exact redirect URIs allowed for the Peloton client. */
  extraRedirectUris: string[];
  /** Revokes every login of a user (admin action at the provider). */
  revokeLoginsOf(sub: string): number;
}

export type ProviderHandler = (request: SandboxRequest, response: ServerResponse, context: SandboxContext) => Promise<void> | void;

export interface Provider {
  name: ProviderName;
  prefix: string;
  handle: ProviderHandler;
}
