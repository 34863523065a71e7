/**
 * The little of `oidc-provider` (v9, which ships no types) that tests/helpers/oidc-provider.ts uses.
 * @types/oidc-provider is not installed; this keeps the helper strict without `any`.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface KoaContextWithOIDC {
    oidc: { params?: Record<string, unknown> };
  }

  export interface Account {
    accountId: string;
    claims: () => Record<string, unknown> | Promise<Record<string, unknown>>;
  }

  export type Configuration = Record<string, unknown> & {
    findAccount?: (ctx: KoaContextWithOIDC, id: string) => Account | undefined | Promise<Account | undefined>;
  };

  export interface AccessTokenModel {
    isExpired: boolean;
  }

  export interface GrantModel {
    addOIDCScope(scope: string): void;
    save(): Promise<string>;
  }

  export interface SavableModel {
    save(): Promise<string>;
  }

  export default class Provider {
    constructor(issuer: string, configuration?: Configuration);
    callback(): (request: IncomingMessage, response: ServerResponse) => Promise<void>;
    on(event: string, listener: (ctx: KoaContextWithOIDC, ...rest: never[]) => void): this;
    AccessToken: { find(value: string): Promise<AccessTokenModel | undefined> };
    Client: { find(id: string): Promise<object | undefined> };
    Grant: new (fields: { accountId: string; clientId: string }) => GrantModel;
    RefreshToken: new (fields: Record<string, unknown>) => SavableModel;
  }
}
